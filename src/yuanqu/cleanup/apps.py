from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class CleanupConfig(RegisterConfig):
    name = "yuanqu.cleanup"
    label = "cleanup"
    verbose_name = _("企业清理")
    # The enterprise page shows the enterprise's clean-up cases (a point it offers).
    panels = {"enterprises.enterprise": "cleanup/_enterprise_panel.html"}
