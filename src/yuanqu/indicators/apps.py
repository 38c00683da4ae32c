from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class IndicatorsConfig(RegisterConfig):
    name = "yuanqu.indicators"
    label = "indicators"
    verbose_name = _("乡村指标")
    # The village or community page (org) shows the unit's indicators over time.
    panels = {"org.village": "indicators/_village_panel.html"}
