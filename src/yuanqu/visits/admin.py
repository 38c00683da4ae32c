from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin, ThroughServices

from . import services
from .models import EnterpriseRequest, RequestCategory, Visit


@admin.register(RequestCategory)
class RequestCategoryAdmin(ThroughServices):
    list_display = ["name", "time_limit_days", "order", "is_active"]  # the code is a key, not wording

    @staticmethod
    def service(actor, obj, data):
        return services.category_save(actor=actor, category=obj, data=data)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_on", "enterprise", "visitors", "unit"]
    search_fields = ["enterprise__name", "visitors"]


@admin.register(EnterpriseRequest)
class EnterpriseRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "enterprise", "category", "assigned_unit", "received_on", "due_on", "state"]
    list_filter = ["state", "category"]
