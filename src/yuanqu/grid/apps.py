from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class GridConfig(RegisterConfig):
    name = "yuanqu.grid"
    label = "grid"
    verbose_name = _("网格治理")
    # The leaders' cockpit shows events open and overdue by class; the tile scopes itself.
    panels = {"cockpit.tiles": "grid/_cockpit_tile.html"}
