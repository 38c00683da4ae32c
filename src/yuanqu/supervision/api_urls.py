"""REST routes under /api/supervision/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import ExtensionViewSet, SupervisionItemViewSet

app_name = "supervision-api"

router = SimpleRouter()
router.register("items", SupervisionItemViewSet, basename="item")
router.register("extensions", ExtensionViewSet, basename="extension")

urlpatterns = router.urls
