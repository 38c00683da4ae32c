from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "yuanqu.party"
    label = "party"
    verbose_name = _("党建")

    def ready(self):
        from yuanqu.core import panels

        from . import imports, metrics  # noqa: F401  (register the importer and the metrics)

        # The village or community page (org) shows the unit's Party organisation and 两委换届.
        panels.register("org.village", "party/_village_panel.html")
        # The cockpit's tile: 达标 / 示范 against the plan's goals, warnings, 两新 coverage.
        panels.register("cockpit.tiles", "party/_cockpit_tile.html")
