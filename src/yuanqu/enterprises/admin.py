from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "is_demo"]
    search_fields = ["name", "credit_code"]
