from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "yuanqu.reports"
    label = "reports"
    verbose_name = _("通报与导出")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
