from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView

from yuanqu.core.ids import IdConverter
from yuanqu.core.routing import api_urlpatterns, legacy_api_redirects

register_converter(IdConverter, "id")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    *api_urlpatterns(),  # api/<app>/ for each app's api_urls
    *legacy_api_redirects(),
    path("", include("yuanqu.org.urls")),
    path("", include("yuanqu.plans.urls")),
    path("supervision/", include("yuanqu.supervision.urls")),
    path("land/", include("yuanqu.land.urls")),
    path("notifications/", include("yuanqu.core.urls")),
    path("imports/", include("yuanqu.core.imports.urls")),
    path("jobs/", include("yuanqu.core.jobs.urls")),
    path("assessment/", include("yuanqu.assessment.urls")),
    path("reports/", include("yuanqu.reports.urls")),
    path("cockpit/", include("yuanqu.cockpit.urls")),
    path("chains/", include("yuanqu.chains.urls")),
    path("investment/", include("yuanqu.investment.urls")),
    path("projects/", include("yuanqu.projects.urls")),
    path("enterprises/", include("yuanqu.enterprises.urls")),
    path("approvals/", include("yuanqu.approvals.urls")),
    path("visits/", include("yuanqu.visits.urls")),
    path("indicators/", include("yuanqu.indicators.urls")),
    path("disputes/", include("yuanqu.disputes.urls")),
    path("inspections/", include("yuanqu.inspections.urls")),
    path("party/", include("yuanqu.party.urls")),
    path("cleanup/", include("yuanqu.cleanup.urls")),
    path("grid/", include("yuanqu.grid.urls")),
]
