from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin, ThroughServices

from . import services
from .models import ChecklistTemplate, Hazard, Inspection, RevisitRule, Work, WorkKind


class ConfigAdmin(ThroughServices):
    """Configuration as data, in use by inspections and works: switch a checklist off instead."""

    def service(self, actor, obj, data):
        return services.config_save(actor=actor, obj=obj, model=self.model, data=data)


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
