from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export.xlsx", views.organisation_export, name="export"),
    path("new/", views.organisation_form, name="new"),
    path("<id:pk>/", views.organisation_detail, name="detail"),
    path("<id:pk>/edit/", views.organisation_form, name="edit"),
    path("<id:pk>/members/", views.member_list, name="members"),
    path("<id:pk>/members/new/", views.member_new, name="member_new"),
    path("members/<id:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<id:pk>/remove/", views.member_remove, name="member_remove"),
    path("<id:pk>/assess/", views.assessment_start, name="start"),
    path("checklists/", views.template_list, name="templates"),
    path("checklists/new/", views.template_form, name="template_new"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/open/", views.assessment_open_year, name="open_year"),
    path("assessments/<id:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<id:pk>/scores/", views.assessment_scores, name="scores"),
    path("assessments/<id:pk>/evidence/<id:entry>/", views.evidence_upload, name="evidence_upload"),
    path("assessments/<id:pk>/<slug:action>/", views.assessment_act, name="act"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<id:pk>/", views.survey_form, name="survey"),
    path("social/", views.social_list, name="social"),
    path("social/new/", views.social_form, name="social_new"),
    path("social/<id:pk>/edit/", views.social_form, name="social_edit"),
    path("elections/", views.election_list, name="elections"),
    path("elections/new/", views.election_form, name="election_new"),
    path("elections/<id:pk>/", views.election_detail, name="election"),
]
