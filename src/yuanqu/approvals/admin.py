from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import Case, Inspection, ReformBundle, Scenario, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "item_type", "depth", "kind", "statutory_days", "promised_days", "commitment"]
    list_filter = ["item_type", "depth", "kind", "commitment"]
    search_fields = ["code", "name"]


class ScenarioInline(admin.TabularInline):
    model = Scenario
    fields = ["name", "target_days", "start_event", "end_event", "order"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReformBundle)
class ReformBundleAdmin(ReadOnlyAdmin):
    list_display = ["year", "code", "name"]
    inlines = [ScenarioInline]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "item", "applicant", "received_on", "accepted_on", "decided_on", "due_on", "late"]
    list_filter = ["late", "item"]
    search_fields = ["number", "applicant"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["case", "due_on", "outcome", "checked_on"]
    list_filter = ["outcome"]
