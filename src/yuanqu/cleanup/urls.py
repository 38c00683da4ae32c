from django.urls import path

from . import views

app_name = "cleanup"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("export.xlsx", views.case_export, name="export"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/export.xlsx", views.candidate_export, name="candidate_export"),
    path("candidates/decide/", views.candidate_decide, name="decide"),
    path("<id:pk>/", views.case_detail, name="case"),
    path("<id:pk>/steps/", views.step_add, name="step_add"),
    path("<id:pk>/steps/<id:step>/", views.step_done, name="step_done"),
    path("<id:pk>/<slug:action>/", views.case_act, name="act"),
]
