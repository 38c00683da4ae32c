from django.contrib import admin

from yuanqu.core.admin import ReadOnlyAdmin

from .models import (
    Assessment,
    ChecklistTemplate,
    ElectionStage,
    Member,
    PartyOrganisation,
    SocialOrganisation,
)


@admin.register(ElectionStage)
class ElectionStageAdmin(admin.ModelAdmin):
    """The steps of 两委换届 are configuration: renamed, added or switched off here."""

    list_display = ["order", "name", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # a step in use is kept; switch it off instead


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "form", "unit", "full_members", "probationary_members", "term_end"]
    search_fields = ["name"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "year", "pass_mark", "exemplary_mark"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "state", "score", "result"]
    list_filter = ["year", "state", "result"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "status", "joined_on"]
    search_fields = ["name"]


@admin.register(SocialOrganisation)
class SocialOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "operating"]
    search_fields = ["name", "code"]
