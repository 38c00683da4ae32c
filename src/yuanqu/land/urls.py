from django.urls import path

from . import views

app_name = "land"
urlpatterns = [
    path("", views.parcel_list, name="list"),
    path("export.xlsx", views.parcel_export, name="export"),
    path("map/", views.park_map, name="map"),
    path("map/geometry/", views.geometry_collection, name="geometry_collection"),
    path("new/", views.parcel_create, name="create"),
    path("quotas/new/", views.quota_form, name="quota_create"),
    path("quotas/<id:pk>/", views.quota_form, name="quota_edit"),
    path("<id:pk>/", views.parcel_detail, name="detail"),
    path("<id:pk>/edit/", views.parcel_edit, name="edit"),
    path("<id:pk>/revitalisations/new/", views.revitalisation_form, name="revitalisation_create"),
    path("<id:pk>/revitalisations/<id:item_pk>/", views.revitalisation_form, name="revitalisation_edit"),
    path("<id:pk>/geometry/", views.parcel_geometry, name="geometry"),
]
