"""REST routes under /api/investment/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import CompanyViewSet, LeadViewSet

app_name = "investment-api"

router = SimpleRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("companies", CompanyViewSet, basename="company")

urlpatterns = router.urls
