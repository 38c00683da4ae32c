from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.hazard_list, name="hazards"),
    path("export.xlsx", views.hazard_export, name="export"),
    path("hazards/<id:pk>/", views.hazard_detail, name="hazard"),
    path("hazards/<id:pk>/<slug:action>/", views.hazard_act, name="act"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/export.xlsx", views.inspection_export, name="inspection_export"),
    path("inspections/new/", views.inspection_form, name="inspection_new"),
    path("inspections/<id:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<id:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("revisits/", views.revisit_list, name="revisits"),
    path("revisits/<id:pk>/record/", views.revisit_record, name="revisit_record"),
    path("works/", views.work_list, name="works"),
    path("works/new/", views.work_form, name="work_new"),
    path("works/<id:pk>/", views.work_detail, name="work"),
    path("works/stages/<id:pk>/done/", views.stage_done, name="stage_done"),
    path("works/evidence/<id:pk>/", views.evidence_download, name="evidence"),
]
