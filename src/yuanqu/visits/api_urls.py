"""REST routes under /api/visits/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import CategoryViewSet, RequestViewSet, VisitViewSet

app_name = "visits-api"

router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")
router.register("categories", CategoryViewSet, basename="category")
router.register("requests", RequestViewSet, basename="request")

urlpatterns = router.urls
