from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<id:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<id:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<id:pk>/activate/", views.scheme_activate, name="scheme_activate"),
    path("schemes/<id:pk>/groups/<id:group_id>/targets/", views.group_targets, name="group_targets"),
    path("schemes/<id:pk>/scores/", views.common_scores, name="common_scores"),
    path("schemes/<id:pk>/bonuses/", views.bonus_list, name="bonus_list"),
    path("schemes/<id:pk>/vetoes/", views.veto_list, name="veto_list"),
    path("schemes/<id:pk>/compute/", views.run_compute, name="run_compute"),
    path("bonuses/<id:pk>/decide/", views.bonus_decide, name="bonus_decide"),
    path("bonuses/<id:pk>/file/", views.bonus_file, name="bonus_file"),
    path("vetoes/<id:pk>/remove/", views.veto_remove, name="veto_remove"),
    path("runs/<id:pk>/", views.run_detail, name="run_detail"),
    path("runs/<id:pk>/units/<id:unit_id>/", views.run_unit, name="run_unit"),
    path("runs/<id:pk>/sign-off/", views.run_sign_off, name="run_sign_off"),
    path("runs/<id:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<id:pk>/recompute/", views.run_recompute, name="run_recompute"),
]
