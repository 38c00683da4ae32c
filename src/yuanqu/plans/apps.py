from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "yuanqu.plans"
    label = "plans"
    verbose_name = _("年度计划与目标")

    def ready(self):
        from . import stored

        stored.connect()
