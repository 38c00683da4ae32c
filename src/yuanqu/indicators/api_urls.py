"""REST routes under /api/indicators/ (mounted by core.routing.api_urlpatterns)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CountViewSet, DefinitionViewSet, ValuesView

app_name = "indicators-api"

router = SimpleRouter()
router.register("definitions", DefinitionViewSet, basename="definition")
router.register("counts", CountViewSet, basename="count")

urlpatterns = [path("values/", ValuesView.as_view(), name="values"), *router.urls]
