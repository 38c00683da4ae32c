from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "yuanqu.indicators"
    label = "indicators"
    verbose_name = _("乡村指标")

    def ready(self):
        from . import imports  # noqa: F401  (registers the counts importer)
