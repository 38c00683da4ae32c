from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "yuanqu.grid"
    label = "grid"
    verbose_name = _("网格治理")

    def ready(self):
        from yuanqu.core import panels

        from . import imports  # noqa: F401  (registers the event importer)

        # The leaders' cockpit shows events open and overdue by class; the tile scopes itself.
        panels.register("cockpit.tiles", "grid/_cockpit_tile.html")
