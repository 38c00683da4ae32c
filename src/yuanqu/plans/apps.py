from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "yuanqu.plans"
    label = "plans"
    verbose_name = _("年度计划与目标")

    def ready(self):
        from yuanqu.core import panels

        # The village or community page (org) lists the targets it leads and its ledger items.
        panels.register("org.village", "plans/_village_panel.html")

        from . import stored  # stored traffic lights follow metric snapshots and ledger items

        stored.connect()
