"""REST routes under /api/approvals/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import BundleViewSet, CaseViewSet, InspectionViewSet, ItemViewSet, ScenarioViewSet

app_name = "approvals-api"

router = SimpleRouter()
router.register("items", ItemViewSet, basename="item")
router.register("bundles", BundleViewSet, basename="bundle")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("cases", CaseViewSet, basename="case")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = router.urls
