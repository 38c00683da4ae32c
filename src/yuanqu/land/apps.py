from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "yuanqu.land"
    label = "land"
    verbose_name = _("土地")

    def ready(self):
        from yuanqu.core import handoffs

        from . import services

        # Land another register releases (企业清理) counts as revitalised here.
        handoffs.offer("land.record_revitalisation", services.revitalisation_record_done)
