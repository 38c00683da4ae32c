from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import AttractionMode, CompanyTag, FollowUp, Lead, TargetCompany


# Configuration: the lists the office keeps.
@admin.register(AttractionMode)
class AttractionModeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(CompanyTag)
class CompanyTagAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


# Records: written through the services (pages, API, import), read here.
@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ["name", "investor", "unit", "stage", "amount_text", "next_action_on"]
    list_filter = ["stage", "unit"]
    search_fields = ["name", "investor"]


@admin.register(TargetCompany)
class TargetCompanyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "hq_province", "hq_city", "industry"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["lead", "kind", "date", "people"]
    list_filter = ["kind"]
