from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleanupConfig(AppConfig):
    name = "yuanqu.cleanup"
    label = "cleanup"
    verbose_name = _("企业清理")

    def ready(self):
        from yuanqu.core import panels

        from . import imports, metrics  # noqa: F401  (register the importer and the metrics)

        # The enterprise page shows the enterprise's clean-up cases (a point it offers).
        panels.register("enterprises.enterprise", "cleanup/_enterprise_panel.html")
