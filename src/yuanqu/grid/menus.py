from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

READERS = ("grid.read_all", "grid.report", "grid.handle")

register(
    MenuEntry(_("网格事件"), "grid:events", icon="grid-3x3", order=81, section=_("治理"), active=("grid:*",),
              visible=lambda user: any(user.can(a) for a in READERS)),
)
