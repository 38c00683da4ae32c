from django.contrib import admin

from .models import LedgerItem, Measure, Plan, ProgressReport, Section, Target


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "status", "progress_mode", "yellow_band"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "activated_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["plan", "no", "title", "order"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["section", "no", "head", "order"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "section", "kind", "lead_unit", "deadline", "deleted_at"]
    list_filter = ["plan", "kind", "lead_unit"]
    search_fields = ["title", "indicator"]

    def has_change_permission(self, request, obj=None):
        # Edits go through the plan pages so they are versioned and logged.
        return False


@admin.register(LedgerItem)
class LedgerItemAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "status", "completed_on"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "version", "review", "submitted_by", "submitted_at"]
    list_filter = ["review", "period"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
