"""REST routes under /api/disputes/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import CaseViewSet, TimeLimitViewSet

app_name = "disputes-api"

router = SimpleRouter()
router.register("limits", TimeLimitViewSet, basename="limit")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
