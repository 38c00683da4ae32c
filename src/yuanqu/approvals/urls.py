from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.scenarios, name="scenarios"),
    path("scenarios/<id:pk>/", views.scenario_detail, name="scenario"),
    path("cases/", views.case_list, name="cases"),
    path("cases/export.xlsx", views.case_export, name="export"),
    path("cases/<id:pk>/", views.case_detail, name="case"),
    path("items/", views.item_list, name="items"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/<id:pk>/", views.inspection_form, name="inspection"),
]
