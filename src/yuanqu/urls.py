from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("yuanqu.plans.api_urls")),
    path("", include("yuanqu.org.urls")),
    path("", include("yuanqu.plans.urls")),
    path("supervision/", include("yuanqu.supervision.urls")),
    path("notifications/", include("yuanqu.core.urls")),
    path("assessment/", include("yuanqu.assessment.urls")),
    path("reports/", include("yuanqu.reports.urls")),
    path("cockpit/", include("yuanqu.cockpit.urls")),
]
