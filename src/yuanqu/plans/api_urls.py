"""REST routes under /api/plans/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import AdjustmentViewSet, LedgerItemViewSet, PlanViewSet, ReportViewSet, TargetViewSet

app_name = "plans-api"

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("targets", TargetViewSet, basename="target")
router.register("ledger-items", LedgerItemViewSet, basename="ledger-item")
router.register("reports", ReportViewSet, basename="report")
router.register("adjustments", AdjustmentViewSet, basename="adjustment")

urlpatterns = router.urls
