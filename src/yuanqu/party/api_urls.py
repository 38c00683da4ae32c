"""REST routes under /api/party/ (mounted by core.routing.api_urlpatterns)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    AssessmentViewSet,
    BlankSpotViewSet,
    CoverageView,
    ElectionViewSet,
    MemberViewSet,
    OrganisationViewSet,
    SocialViewSet,
    TemplateViewSet,
)

app_name = "party-api"

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("members", MemberViewSet, basename="member")
router.register("social-organisations", SocialViewSet, basename="social-organisation")
router.register("checklists", TemplateViewSet, basename="checklist")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("blank-spots", BlankSpotViewSet, basename="blank-spot")
router.register("elections", ElectionViewSet, basename="election")

urlpatterns = [path("coverage/", CoverageView.as_view(), name="coverage"), *router.urls]
