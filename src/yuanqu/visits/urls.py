from django.urls import path

app_name = "visits"
urlpatterns = [
    path("requests/<id:pk>/", lambda request, pk: None, name="request"),
]
