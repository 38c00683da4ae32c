from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "yuanqu.investment"
    label = "investment"
    verbose_name = _("招商引资")

    def ready(self):
        from . import chain_sources

        chain_sources.register()  # the chain pages' figures and call lists
