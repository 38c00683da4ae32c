from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_mark_read, name="notifications_mark_read"),
    path("<id:pk>/", views.notification_open, name="notification_open"),
]
