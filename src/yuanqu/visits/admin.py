from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from . import services
from .models import EnterpriseRequest, RequestCategory, Visit


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "time_limit_days", "order", "is_active"]  # the code is a key, not wording
    fields = list(RequestCategory.WRITABLE_FIELDS)

    def save_model(self, request, obj, form, change):
        # Through the service, so admin edits are versioned and logged like every other edit.
        data = {f: form.cleaned_data[f] for f in RequestCategory.WRITABLE_FIELDS if f in form.cleaned_data}
        saved = services.category_save(actor=request.user, category=obj if change else None, data=data)
        obj.pk, obj.version = saved.pk, saved.version

    def has_delete_permission(self, request, obj=None):
        return False  # a category in use is kept; switch it off instead


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_on", "enterprise", "visitors", "unit"]
    search_fields = ["enterprise__name", "visitors"]


@admin.register(EnterpriseRequest)
class EnterpriseRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "enterprise", "category", "assigned_unit", "received_on", "due_on", "state"]
    list_filter = ["state", "category"]
