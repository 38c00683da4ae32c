from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "yuanqu.visits"
    label = "visits"
    verbose_name = _("走帮服")

    def ready(self):
        from . import metrics  # noqa: F401  (registers the metrics)
