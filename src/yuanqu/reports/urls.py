from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
    path("export/targets.xlsx", views.export_targets, name="export_targets"),
]
