from django.urls import include, path

from . import views

# One batch's pages: the preview and result, its progress fragment, and the two actions on it.
batch_patterns = [
    path("", views.batch_detail, name="batch"),
    path("status/", views.batch_status, name="batch_status"),
    path("apply/", views.batch_apply, name="batch_apply"),
    path("revert/", views.batch_revert, name="batch_revert"),
]

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("batch/<id:pk>/", include(batch_patterns)),
    path("<str:key>/", views.importer_page, name="importer"),
    path("<str:key>/template.xlsx", views.template_download, name="template"),
]
