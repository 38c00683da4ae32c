"""REST routes under /api/grid/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import CategoryViewSet, EventViewSet, GridViewSet

app_name = "grid-api"

router = SimpleRouter()
router.register("grids", GridViewSet, basename="grid")
router.register("categories", CategoryViewSet, basename="category")
router.register("events", EventViewSet, basename="event")

urlpatterns = router.urls
