from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<id:pk>/", views.job_detail, name="job"),
    path("<id:pk>/status/", views.job_status, name="job_status"),
]
