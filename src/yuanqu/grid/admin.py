
"""The registry's configuration in the admin site (grids, categories, routing rules, time limits),
every save through the services so it is versioned, checked and logged like any other edit."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yuanqu.core.admin import ReadOnlyAdmin, ThroughServices

from . import services
from .models import EventCategory, Grid, GridEvent, RoutingRule, SlaRule


@admin.register(Grid)
class GridAdmin(ThroughServices):
    list_display = ["code", "name", "unit", "kind", "households", "population", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["workers"]

    @staticmethod
    def service(actor, obj, data):
        return services.grid_save(actor=actor, grid=obj, data=data)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An empty boundary shows as an empty box (not JSON's "null"), explained in Chinese.
        form.base_fields["polygon"] = _BoundaryField(
            label=_("网格边界"), required=False, help_text=_("面状边界的坐标数据（经纬度），可不填；在地图上绘制的功能尚未提供"))
        return form


class _BoundaryField(forms.JSONField):
    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


@admin.register(EventCategory)
class EventCategoryAdmin(ThroughServices):
    list_display = ["name", "parent", "order", "negative_list", "is_active"]
    list_filter = ["negative_list", "is_active"]

    @staticmethod
    def service(actor, obj, data):
        return services.category_save(actor=actor, category=obj, data=data)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ThroughServices):
    list_display = ["category", "grid", "area", "unit"]
    filter_horizontal = ["co_units"]

    @staticmethod
    def service(actor, obj, data):
        return services.routing_rule_save(actor=actor, rule=obj, data=data)


@admin.register(SlaRule)
class SlaRuleAdmin(ThroughServices):
    list_display = ["category", "severity", "stage", "amount", "day_type"]
    list_filter = ["stage", "day_type"]

    @staticmethod
    def service(actor, obj, data):
        return services.sla_rule_save(actor=actor, rule=obj, data=data)


@admin.register(GridEvent)
class GridEventAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "grid", "assigned_unit", "reported_at", "due_at", "state"]
    list_filter = ["state", "severity", "source"]
    search_fields = ["number", "description"]
