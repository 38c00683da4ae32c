from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/activate/", views.scheme_activate, name="scheme_activate"),
    path("schemes/<int:pk>/groups/<int:group_id>/targets/", views.group_targets, name="group_targets"),
    path("schemes/<int:pk>/scores/", views.common_scores, name="common_scores"),
    path("schemes/<int:pk>/bonuses/", views.bonus_list, name="bonus_list"),
    path("schemes/<int:pk>/vetoes/", views.veto_list, name="veto_list"),
    path("schemes/<int:pk>/compute/", views.run_compute, name="run_compute"),
    path("bonuses/<int:pk>/decide/", views.bonus_decide, name="bonus_decide"),
    path("bonuses/<int:pk>/file/", views.bonus_file, name="bonus_file"),
    path("vetoes/<int:pk>/remove/", views.veto_remove, name="veto_remove"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/units/<int:unit_id>/", views.run_unit, name="run_unit"),
    path("runs/<int:pk>/sign-off/", views.run_sign_off, name="run_sign_off"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/recompute/", views.run_recompute, name="run_recompute"),
]
