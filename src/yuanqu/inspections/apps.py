from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "yuanqu.inspections"
    label = "inspections"
    verbose_name = _("检查整改")

    def ready(self):
        from yuanqu.core import panels

        from . import imports, metrics, reminders  # noqa: F401  (registers the importer, metrics and reminders)

        # The leaders' cockpit shows the hazards open, 重大 and overdue (scoped to the viewer).
        panels.register("cockpit.tiles", "inspections/_cockpit_tile.html")
