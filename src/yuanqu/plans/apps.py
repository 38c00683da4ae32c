from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class PlansConfig(RegisterConfig):
    name = "yuanqu.plans"
    label = "plans"
    verbose_name = _("年度计划与目标")
    # The village or community page (org) lists the targets it leads and its ledger items.
    panels = {"org.village": "plans/_village_panel.html"}

    def ready(self):
        super().ready()
        from . import stored  # stored traffic lights follow metric snapshots and ledger items

        stored.connect()
