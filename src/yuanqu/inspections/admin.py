from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from . import services
from .models import ChecklistTemplate, Hazard, Inspection, RevisitRule, Work, WorkKind


class ConfigAdmin(admin.ModelAdmin):
    """Configuration as data, edited here through the service (versioned and logged)."""

    def get_fields(self, request, obj=None):
        return list(self.model.WRITABLE_FIELDS)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in self.model.WRITABLE_FIELDS if f in form.cleaned_data}
        saved = services.config_save(actor=request.user, obj=obj if change else None, model=self.model, data=data)
        obj.pk, obj.version = saved.pk, saved.version

    def has_delete_permission(self, request, obj=None):
        return False  # in use by inspections and works: switch a checklist off instead


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ConfigAdmin):
    list_display = ["name", "domain", "version", "is_active"]


@admin.register(RevisitRule)
class RevisitRuleAdmin(ConfigAdmin):
    list_display = ["domain", "interval_days", "rounds"]


@admin.register(WorkKind)
class WorkKindAdmin(ConfigAdmin):
    list_display = ["name"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["inspected_on", "domain", "enterprise", "site", "inspecting_unit"]
    list_filter = ["domain"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["pk", "level", "responsible_unit", "deadline", "state"]
    list_filter = ["state", "level"]


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "lead_unit", "started_on"]
