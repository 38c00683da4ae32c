"""REST routes under /api/inspections/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import HazardViewSet, InspectionViewSet, RevisitViewSet, WorkViewSet

app_name = "inspections-api"

router = SimpleRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("revisits", RevisitViewSet, basename="revisit")
router.register("works", WorkViewSet, basename="work")

urlpatterns = router.urls
