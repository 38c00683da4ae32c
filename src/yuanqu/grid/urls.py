from django.urls import path

from . import views

app_name = "grid"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.xlsx", views.event_export, name="export"),
    path("events/<id:pk>/", views.event_detail, name="event"),
    path("events/<id:pk>/<slug:action>/", views.event_act, name="act"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("grids/", views.grid_list, name="grids"),
    path("grids/<id:pk>/", views.grid_detail, name="grid"),
    path("grids/new/", views.grid_form, name="grid_new"),
    path("grids/<id:pk>/edit/", views.grid_form, name="grid_edit"),
    # The command centre's configuration: categories, routing rules, time limits.
    path("settings/<slug:kind>/", views.setting_list, name="settings"),
    path("settings/<slug:kind>/new/", views.setting_form, name="setting_new"),
    path("settings/<slug:kind>/<id:pk>/", views.setting_form, name="setting_edit"),
    path("settings/<slug:kind>/<id:pk>/delete/", views.setting_delete, name="setting_delete"),
    path("stats/", views.stats, name="stats"),
    # The phone pages: small, no script needed (geolocation only fills two fields when allowed).
    path("m/", views.phone_home, name="phone"),
    path("m/report/", views.phone_report, name="phone_report"),
    path("m/<id:pk>/", views.phone_event, name="phone_event"),
]
