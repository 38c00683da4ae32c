from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from . import services
from .models import DisputeCase, TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["kind", "day_type", "acceptance_days", "handling_days", "extension_days", "appeal_days",
                    "review_days", "rereview_days", "followup_days", "warn_days"]
    fields = list(TimeLimit.WRITABLE_FIELDS)

    def save_model(self, request, obj, form, change):
        # Through the service, so edits are versioned and logged like every other edit.
        data = {f: form.cleaned_data[f] for f in TimeLimit.WRITABLE_FIELDS if f in form.cleaned_data}
        saved = services.limit_save(actor=request.user, limit=obj, data=data)
        obj.version = saved.version

    def has_add_permission(self, request):
        return False  # one row per kind, shipped by the migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisputeCase)
class DisputeCaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "title", "assigned_unit", "received_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "parties"]
