"""REST routes under /api/land/ (mounted by core.routing.api_urlpatterns)."""

from rest_framework.routers import SimpleRouter

from .api import ParcelViewSet, QuotaViewSet, RevitalisationViewSet

app_name = "land-api"

router = SimpleRouter()
router.register("parcels", ParcelViewSet, basename="parcel")
router.register("revitalisations", RevitalisationViewSet, basename="revitalisation")
router.register("quotas", QuotaViewSet, basename="quota")

urlpatterns = router.urls
