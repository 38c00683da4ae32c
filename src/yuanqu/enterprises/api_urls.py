"""REST routes under /api/enterprises/ (mounted by core.routing.api_urlpatterns)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EnterpriseViewSet, FigureViewSet, TierView

app_name = "enterprises-api"

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("figures", FigureViewSet, basename="figure")

urlpatterns = [*router.urls, path("tiers/", TierView.as_view(), name="tier-list")]
