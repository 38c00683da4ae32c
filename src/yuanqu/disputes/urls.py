from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("export.xlsx", views.case_export, name="export"),
    path("new/", views.case_new, name="new"),
    path("stats/", views.unit_stats, name="stats"),
    path("stats.xlsx", views.unit_stats_export, name="stats_export"),
    path("<id:pk>/", views.case_detail, name="case"),
    path("<id:pk>/edit/", views.case_edit, name="edit"),
    path("<id:pk>/<slug:action>/", views.case_act, name="act"),
]
