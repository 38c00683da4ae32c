import datetime as dt

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .calendar import calendar_changed
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


class _CalendarAdmin(admin.ModelAdmin):
    """A changed day or year moves every clock kept on the calendar: the registers that store
    working-day durations recompute theirs (core.calendar.calendar_changed)."""

    def first_day(self, obj) -> dt.date:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
        super().save_model(request, obj, form, change)
        calendar_changed(min(self.first_day(o) for o in (obj, old) if o is not None))

    def delete_model(self, request, obj):
        day = self.first_day(obj)
        super().delete_model(request, obj)
        calendar_changed(day)

    def delete_queryset(self, request, queryset):
        days = [self.first_day(o) for o in queryset]
        super().delete_queryset(request, queryset)
        if days:
            calendar_changed(min(days))


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    list_display = ["year", "complete", "note"]

    def first_day(self, obj) -> dt.date:
        return dt.date(obj.year, 1, 1)


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def first_day(self, obj) -> dt.date:
        return obj.date


class ThroughServices(admin.ModelAdmin):
    """A register's configuration kept as data (categories, rules, time limits), edited here
    through its service so that an admin edit is checked, versioned and logged like any other:
    the form shows the model's WRITABLE_FIELDS and `service(actor, obj, data)` (obj None when
    adding) writes them. Nothing is deleted here: a record in use is kept, switched off instead."""

    def service(self, actor, obj, data):
        raise NotImplementedError(f"{type(self).__name__} declares no service()")

    def get_fields(self, request, obj=None):
        return list(self.model.WRITABLE_FIELDS)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in self.model.WRITABLE_FIELDS if f in form.cleaned_data}
        saved = self.service(request.user, obj if change else None, data)
        obj.pk, obj.version = saved.pk, saved.version

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were set by the service; the admin's own set would write them unlogged.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        return False
