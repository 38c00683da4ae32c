from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="visits"),
    path("export.xlsx", views.visit_export, name="visit_export"),
    path("new/", views.visit_form, name="visit_new"),
    path("<id:pk>/", views.visit_detail, name="visit"),
    path("<id:pk>/edit/", views.visit_form, name="visit_edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/export.xlsx", views.request_export, name="export"),
    path("requests/<id:pk>/", views.request_detail, name="request"),
    path("requests/<id:pk>/<slug:action>/", views.request_act, name="act"),
    path("stats/", views.unit_stats, name="stats"),
]
