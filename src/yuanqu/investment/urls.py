from django.urls import path

from . import views

app_name = "investment"
urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("export.xlsx", views.lead_export, name="lead_export"),
    path("board/", views.lead_board, name="lead_board"),
    path("map/", views.region_map, name="region_map"),
    path("funnel/", views.lead_funnel, name="lead_funnel"),
    path("new/", views.lead_create, name="lead_create"),
    path("<id:pk>/", views.lead_detail, name="lead_detail"),
    path("<id:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("<id:pk>/act/<str:action>/", views.lead_act, name="lead_act"),
    path("<id:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/export.xlsx", views.company_export, name="company_export"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<id:pk>/edit/", views.company_edit, name="company_edit"),
]
