from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class ApprovalsConfig(RegisterConfig):
    name = "yuanqu.approvals"
    label = "approvals"
    verbose_name = _("审批时效")
    # The stored working-day durations follow the administrator's edits of the work calendar.
    follows_calendar = "recompute_from"
