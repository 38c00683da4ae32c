from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "yuanqu.approvals"
    label = "approvals"
    verbose_name = _("审批时效")

    def ready(self):
        from yuanqu.core.calendar import when_calendar_changes

        from . import services

        # The stored working-day durations follow the administrator's edits of the work calendar.
        when_calendar_changes(services.recompute_from)
