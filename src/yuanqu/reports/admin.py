from django.contrib import admin

from .models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-only: bulletins are made by the service (versioned files), never edited by hand."""

    list_display = ["__str__", "plan", "month", "version", "created_by", "created_at"]
    list_filter = ["plan"]
    list_select_related = ["plan", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
