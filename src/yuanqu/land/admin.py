from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import LandQuota, LandUse, Parcel, Revitalisation


@admin.register(LandUse)
class LandUseAdmin(admin.ModelAdmin):
    """规划用途 is configuration: the administrator keeps the list here."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Parcel)
class ParcelAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "area_mu", "planned_use", "status", "unit", "supply_date"]
    list_filter = ["status", "planned_use", "unit"]
    search_fields = ["code", "name", "holder"]


@admin.register(Revitalisation)
class RevitalisationAdmin(ReadOnlyAdmin):
    list_display = ["parcel", "method", "status", "area_mu", "planned_date", "completed_on"]
    list_filter = ["method", "status"]


@admin.register(LandQuota)
class LandQuotaAdmin(ReadOnlyAdmin):
    list_display = ["year", "requested_mu", "granted_mu"]
