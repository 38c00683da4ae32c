from django.urls import path

app_name = "party"
urlpatterns: list = []
