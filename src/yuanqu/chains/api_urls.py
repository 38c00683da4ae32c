"""REST routes under /api/chains/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import ChainViewSet, NodeViewSet, PlacementViewSet

app_name = "chains-api"

router = SimpleRouter()
router.register("chains", ChainViewSet, basename="chain")
router.register("nodes", NodeViewSet, basename="node")
router.register("placements", PlacementViewSet, basename="placement")

urlpatterns = router.urls
