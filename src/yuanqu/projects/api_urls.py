"""REST routes under /api/projects/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import ProblemViewSet, ProjectViewSet

app_name = "projects-api"

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("problems", ProblemViewSet, basename="problem")

urlpatterns = router.urls
