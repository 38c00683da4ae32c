from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("export.xlsx", views.indicator_export, name="export"),
    path("new/", views.definition_create, name="create"),
    path("villages/<id:pk>/", views.village_detail, name="village"),
    path("villages/<id:pk>/export.xlsx", views.village_export, name="village_export"),
    path("<id:pk>/", views.indicator_detail, name="detail"),
    path("<id:pk>/export.xlsx", views.indicator_detail_export, name="detail_export"),
    path("<id:pk>/counts/new/", views.count_create, name="count_create"),
    path("<id:pk>/revise/", views.definition_revise, name="revise"),
]
