from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class PartyConfig(RegisterConfig):
    name = "yuanqu.party"
    label = "party"
    verbose_name = _("党建")
    panels = {
        # The village or community page (org) shows the unit's Party organisation and 两委换届.
        "org.village": "party/_village_panel.html",
        # The cockpit's tile: 达标 / 示范 against the plan's goals, warnings, 两新 coverage.
        "cockpit.tiles": "party/_cockpit_tile.html",
    }
