from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("batch/<id:pk>/", views.batch_detail, name="batch"),
    path("batch/<id:pk>/status/", views.batch_status, name="batch_status"),
    path("batch/<id:pk>/apply/", views.batch_apply, name="batch_apply"),
    path("batch/<id:pk>/revert/", views.batch_revert, name="batch_revert"),
    path("<str:key>/", views.importer_page, name="importer"),
    path("<str:key>/template.xlsx", views.template_download, name="template"),
]
