from django.contrib import admin

from .models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-only: bulletins are made, edited and issued on their own pages (the services), never here."""

    list_display = ["__str__", "plan", "month", "version", "status", "signer", "created_by", "created_at"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
