from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import ExtensionRequest, SupervisionEvent, SupervisionItem


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "source_kind", "lead_unit", "deadline", "state", "urge_count", "deleted_at"]
    list_filter = ["state", "source_kind", "year", "lead_unit"]
    search_fields = ["number", "title"]


@admin.register(SupervisionEvent)
class SupervisionEventAdmin(ReadOnlyAdmin):
    list_display = ["item", "action", "from_state", "to_state", "actor", "time"]
    list_filter = ["action"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["item", "previous_deadline", "requested_deadline", "status", "requested_by", "decided_by"]
    list_filter = ["status"]
    # the request before its decision (DecidedRequest's fields would otherwise come first)
    fields = ["item", "previous_deadline", "requested_deadline", "reason", "progress", "status",
              "requested_by", "requested_at", "decided_by", "decided_at", "decision_comment"]
