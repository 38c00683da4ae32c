from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<id:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<id:pk>/download/", views.bulletin_download, name="bulletin_download"),
    path("export/targets.xlsx", views.export_targets, name="export_targets"),
    path("export/supervision.xlsx", views.export_supervision, name="export_supervision"),
    path("export/supervision-inbox.xlsx", views.export_supervision_inbox, name="export_supervision_inbox"),
    path("export/review-queue.xlsx", views.export_review_queue, name="export_review_queue"),
    path("export/assessment/runs/<id:pk>.xlsx", views.export_assessment_run, name="export_assessment_run"),
]
