from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class InspectionsConfig(RegisterConfig):
    name = "yuanqu.inspections"
    label = "inspections"
    verbose_name = _("检查整改")
    # The leaders' cockpit shows the hazards open, 重大 and overdue (scoped to the viewer).
    panels = {"cockpit.tiles": "inspections/_cockpit_tile.html"}
