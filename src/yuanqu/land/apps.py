from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "yuanqu.land"
    label = "land"
    verbose_name = _("土地")

    def ready(self):
        from . import imports  # noqa: F401  (registers the parcel importer)
