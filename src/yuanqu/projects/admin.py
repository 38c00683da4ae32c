from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import AmountBand, MonthlyReturn, Problem, ProblemCategory, Project


@admin.register(AmountBand)
class AmountBandAdmin(admin.ModelAdmin):
    list_display = ("name", "min_amount")


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "active")
    list_editable = ("order", "active")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "total_investment", "level", "stage", "lead_unit")
    list_filter = ("stage", "level")
    search_fields = ("name", "investor")


@admin.register(MonthlyReturn)
class MonthlyReturnAdmin(ReadOnlyAdmin):
    list_display = ("project", "month", "version", "completed_month", "completed_total")


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ("project", "category", "assigned_unit", "status")
    list_filter = ("status", "category")
