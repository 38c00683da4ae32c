from django.urls import path

from . import mujun_views, views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("tiers/", views.tier_page, name="tiers"),
    path("new/", views.enterprise_create, name="create"),
    path("<id:pk>/", views.enterprise_detail, name="detail"),
    path("<id:pk>/edit/", views.enterprise_edit, name="edit"),
    path("mujun/", mujun_views.home, name="mujun"),
    path("mujun/schemes/<id:pk>/", mujun_views.scheme_detail, name="mujun_scheme"),
    path("mujun/runs/new/", mujun_views.run_create, name="mujun_run_create"),
    path("mujun/runs/<id:pk>/", mujun_views.run_detail, name="mujun_run"),
    path("mujun/runs/<id:pk>/export.xlsx", mujun_views.run_export, name="mujun_export"),
    path("mujun/runs/<id:pk>/<slug:action>/", mujun_views.run_action, name="mujun_action"),
    path("mujun/results/<id:pk>/", mujun_views.result_detail, name="mujun_result"),
    path("mujun/adjustments/<id:pk>/delete/", mujun_views.adjustment_delete, name="mujun_adjustment_delete"),
    path("mujun/adjustments/<id:pk>/evidence/", mujun_views.adjustment_evidence, name="mujun_evidence"),
]
