from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class DisputesConfig(RegisterConfig):
    name = "yuanqu.disputes"
    label = "disputes"
    verbose_name = _("大调解、大接访")
    panels = {"cockpit.tiles": "disputes/_cockpit_tile.html"}
    # Working-day due dates follow the administrator's edits of the work calendar.
    follows_calendar = "recompute_due_from"
