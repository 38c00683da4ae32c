from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import IndicatorCount, IndicatorDefinition, IndicatorVersion


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "owner_unit", "period_kind", "level"]
    search_fields = ["code", "name"]


@admin.register(IndicatorVersion)
class IndicatorVersionAdmin(ReadOnlyAdmin):
    list_display = ["definition", "number", "unit", "formula", "created_at"]


@admin.register(IndicatorCount)
class IndicatorCountAdmin(ReadOnlyAdmin):
    list_display = ["definition", "unit", "period", "revision", "is_current", "entered_at"]
    list_filter = ["definition", "is_current"]
