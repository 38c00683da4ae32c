from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "yuanqu.indicators"
    label = "indicators"
    verbose_name = _("乡村指标")

    def ready(self):
        from yuanqu.core import panels

        from . import imports  # noqa: F401  (registers the counts importer)

        # The village or community page (org) shows the unit's indicators over time.
        panels.register("org.village", "indicators/_village_panel.html")
