from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Every app's abilities.py declares its roles and abilities, its metrics.py its metrics,
        # its menus.py its menu entries.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("abilities")
        autodiscover_modules("metrics")
        autodiscover_modules("menus")
