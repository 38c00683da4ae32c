from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "yuanqu.disputes"
    label = "disputes"
    verbose_name = _("大调解、大接访")

    def ready(self):
        from yuanqu.core import panels
        from yuanqu.core.calendar import when_calendar_changes

        from . import imports, metrics, services  # noqa: F401  (registers the importer and the metrics)

        # Working-day due dates follow the administrator's edits of the work calendar.
        when_calendar_changes(services.recompute_due_from)
        panels.register("cockpit.tiles", "disputes/_cockpit_tile.html")
