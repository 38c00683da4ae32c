from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.item_create, name="create"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/delete/", views.item_delete, name="delete"),
    path("<int:pk>/act/<str:action>/", views.item_act, name="act"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
]
