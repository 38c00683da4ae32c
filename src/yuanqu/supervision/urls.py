from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.item_create, name="create"),
    path("new/targets/", views.target_picker, name="target_picker"),
    path("<id:pk>/", views.item_detail, name="detail"),
    path("<id:pk>/edit/", views.item_edit, name="edit"),
    path("<id:pk>/notice.docx", views.item_notice, name="notice"),
    path("<id:pk>/delete/", views.item_delete, name="delete"),
    path("<id:pk>/act/<str:action>/", views.item_act, name="act"),
    path("<id:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<id:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("instructions/", views.instruction_list, name="instruction_list"),
    path("instructions/new/", views.instruction_create, name="instruction_create"),
    path("instructions/target/<id:pk>/", views.target_instructions, name="target_instructions"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
]
