"""The plan's records are read-only here: edits go through the plan pages and services, so they
are versioned, validated and logged (the admin site would write around all three)."""

from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import LedgerItem, Measure, MetricSnapshot, Plan, ProgressReport, Section, Target


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status", "progress_mode", "yellow_band"]
    list_filter = ["status", "year"]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "no", "title", "order"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["section", "no", "head", "order"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "section", "kind", "lead_unit", "deadline", "deleted_at"]
    list_filter = ["plan", "kind", "lead_unit"]
    search_fields = ["title", "indicator"]


@admin.register(LedgerItem)
class LedgerItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "target", "status", "completed_on", "deleted_at"]
    list_filter = ["status"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["target", "period", "version", "review", "submitted_by", "submitted_at"]
    list_filter = ["review", "period"]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["target", "period", "metric", "value", "as_of"]
