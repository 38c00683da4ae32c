from django.urls import path

from . import views

app_name = "land"
urlpatterns = [
    path("", views.parcel_list, name="list"),
    path("export.xlsx", views.parcel_export, name="export"),
    path("map/", views.park_map, name="map"),
    path("map/geometry/", views.geometry_collection, name="geometry_collection"),
    path("<id:pk>/", views.parcel_detail, name="detail"),
    path("<id:pk>/geometry/", views.parcel_geometry, name="geometry"),
]
