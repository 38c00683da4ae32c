from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class LandConfig(RegisterConfig):
    name = "yuanqu.land"
    label = "land"
    verbose_name = _("土地")
    # Land another register releases (企业清理) counts as revitalised here.
    offers = {"land.record_revitalisation": "revitalisation_record_done"}
