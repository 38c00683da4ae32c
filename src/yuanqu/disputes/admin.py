from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin, ThroughServices

from . import services
from .models import DisputeCase, TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(ThroughServices):
    list_display = ["kind", "day_type", "acceptance_days", "handling_days", "extension_days", "appeal_days",
                    "review_days", "rereview_days", "followup_days", "warn_days"]

    @staticmethod
    def service(actor, obj, data):
        return services.limit_save(actor=actor, limit=obj, data=data)

    def has_add_permission(self, request):
        return False  # one row per kind, shipped by the migration


@admin.register(DisputeCase)
class DisputeCaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "title", "assigned_unit", "received_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "parties"]
