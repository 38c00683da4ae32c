from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class VisitsConfig(RegisterConfig):
    name = "yuanqu.visits"
    label = "visits"
    verbose_name = _("走帮服")
    # The stored due dates follow the administrator's edits of the work calendar.
    follows_calendar = "recompute_due_from"
