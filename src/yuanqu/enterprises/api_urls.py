"""REST routes under /api/enterprises/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import EnterpriseViewSet, FigureViewSet, TierViewSet

app_name = "enterprises-api"

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("figures", FigureViewSet, basename="figure")
router.register("tiers", TierViewSet, basename="tier")

urlpatterns = router.urls
