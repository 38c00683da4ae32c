from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/current/", views.plan_current, name="plan_current"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/settings/", views.plan_settings, name="plan_settings"),
    path("plans/<int:pk>/activate/", views.plan_activate, name="plan_activate"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("plans/<int:pk>/review/bulk/", views.plan_bulk, name="plan_bulk"),
    path("plans/<int:pk>/sections/<int:section_pk>/targets/new/", views.target_create, name="target_create"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/metric/", views.target_metric, name="target_metric"),
    path("targets/<int:pk>/report/", views.report_create, name="report_create"),
    path("targets/<int:pk>/ledger/", views.ledger_item_create, name="ledger_item_create"),
    path("targets/<int:pk>/card/", views.target_card, name="target_card"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("ledger/<int:pk>/", views.ledger_item_update, name="ledger_item_update"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/accept/", views.report_review, {"outcome": "accept"}, name="report_accept"),
    path("review/<int:pk>/return/", views.report_review, {"outcome": "return"}, name="report_return"),
    path("my/", views.my_unit, name="my_unit"),
]
