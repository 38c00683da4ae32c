from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/current/", views.plan_current, name="plan_current"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/<id:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<id:pk>/settings/", views.plan_settings, name="plan_settings"),
    path("plans/<id:pk>/activate/", views.plan_activate, name="plan_activate"),
    path("plans/<id:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<id:pk>/discard/", views.plan_discard, name="plan_discard"),
    path("plans/<id:pk>/review/", views.plan_review, name="plan_review"),
    path("plans/<id:pk>/review/bulk/", views.plan_bulk, name="plan_bulk"),
    path("plans/<id:pk>/review/units/", views.plan_map_unit, name="plan_map_unit"),
    path("plans/<id:pk>/sections/<id:section_pk>/targets/new/", views.target_create, name="target_create"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<id:pk>/", views.target_detail, name="target_detail"),
    path("targets/<id:pk>/metric/", views.target_metric, name="target_metric"),
    path("targets/<id:pk>/report/", views.report_create, name="report_create"),
    path("targets/<id:pk>/ledger/", views.ledger_item_create, name="ledger_item_create"),
    path("targets/<id:pk>/card/", views.target_card, name="target_card"),
    path("targets/<id:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<id:pk>/delete/", views.target_delete, name="target_delete"),
    path("ledger/<id:pk>/", views.ledger_item_update, name="ledger_item_update"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<id:pk>/accept/", views.report_review, {"outcome": "accept"}, name="report_accept"),
    path("review/<id:pk>/return/", views.report_review, {"outcome": "return"}, name="report_return"),
    path("my/", views.my_unit, name="my_unit"),
    path("targets/<id:pk>/adjust/", views.adjustment_create, name="adjustment_create"),
    path("plans/<id:pk>/adjustments/", views.adjustment_list, name="adjustment_list"),
    path("adjustments/<id:pk>/", views.adjustment_detail, name="adjustment_detail"),
    path("adjustments/<id:pk>/document/", views.adjustment_document, name="adjustment_document"),
    path("adjustments/<id:pk>/<str:action>/", views.adjustment_decide, name="adjustment_decide"),
]
