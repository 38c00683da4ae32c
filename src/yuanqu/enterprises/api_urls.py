"""REST routes under /api/enterprises/ (mounted by core.routing.api_urlpatterns)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EnterpriseViewSet, FigureViewSet, TierView
from .mujun_api import ResultViewSet, RunViewSet, SchemeViewSet

app_name = "enterprises-api"

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("figures", FigureViewSet, basename="figure")
router.register("mujun-schemes", SchemeViewSet, basename="mujun-scheme")
router.register("mujun-runs", RunViewSet, basename="mujun-run")
router.register("mujun-results", ResultViewSet, basename="mujun-result")

urlpatterns = [*router.urls, path("tiers/", TierView.as_view(), name="tier-list")]
