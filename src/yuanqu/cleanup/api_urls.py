"""REST routes under /api/cleanup/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import CandidateViewSet, CaseViewSet, CriterionViewSet, StepViewSet

app_name = "cleanup-api"

router = SimpleRouter()
router.register("criteria", CriterionViewSet, basename="criterion")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("cases", CaseViewSet, basename="case")
router.register("steps", StepViewSet, basename="step")

urlpatterns = router.urls
