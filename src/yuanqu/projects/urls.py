from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("from-lead/<id:lead_id>/", views.from_lead, name="from_lead"),
    path("<id:pk>/", views.project_detail, name="detail"),
    path("<id:pk>/edit/", views.project_edit, name="edit"),
    path("<id:pk>/plan/", views.plan_update, name="plan"),
    path("<id:pk>/stage/", views.stage_reach, name="reach"),
    path("<id:pk>/returns/", views.return_add, name="return_add"),
    path("<id:pk>/problems/", views.problem_add, name="problem_add"),
    path("problems/<id:pk>/solve/", views.problem_solve, name="problem_solve"),
    path("problems/<id:pk>/raise/", views.problem_raise, name="problem_raise"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("photos/<id:pk>/", views.photo_download, name="photo"),
]
