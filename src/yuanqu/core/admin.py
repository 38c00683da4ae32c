from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear, ChangeRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only services may write (versioned, validated, logged): the admin site only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordTypeFilter(admin.RelatedFieldListFilter):
    """Django names the filter by the field ("content type"); people read 记录类型."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("记录类型")


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", ("content_type", RecordTypeFilter)]
    search_fields = ["object_repr"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "note"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]
