from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "yuanqu.approvals"
    label = "approvals"
    verbose_name = _("审批时效")

    def ready(self):
        from . import imports, metrics  # noqa: F401  (registers the importers and the metrics)
