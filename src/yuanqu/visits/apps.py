from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "yuanqu.visits"
    label = "visits"
    verbose_name = _("走帮服")

    def ready(self):
        from yuanqu.core.calendar import when_calendar_changes

        from . import services

        # The stored due dates follow the administrator's edits of the work calendar.
        when_calendar_changes(services.recompute_due_from)
