from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.chain_list, name="list"),
    path("new/", views.chain_create, name="create"),
    path("<id:pk>/", views.chain_detail, name="detail"),
    path("<id:pk>/edit/", views.chain_edit, name="edit"),
    path("<id:pk>/export/", views.chain_export, name="export"),
    path("<id:pk>/nodes/new/", views.node_create, name="node_create"),
    path("nodes/<id:pk>/", views.node_panel, name="node"),
    path("nodes/<id:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<id:pk>/delete/", views.node_delete, name="node_delete"),
    path("nodes/<id:pk>/enterprises/", views.placement_add, name="placement_add"),
    path("placements/<id:pk>/delete/", views.placement_delete, name="placement_delete"),
]
