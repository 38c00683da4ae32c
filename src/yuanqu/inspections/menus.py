from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register


def _reads(user) -> bool:
    return any(user.can(a) for a in ("inspections.read_all", "inspections.inspect", "inspections.rectify"))


register(
    MenuEntry(_("检查整改"), "inspections:hazards", icon="shield-exclamation", order=81, section=_("治理"), active=("inspections:*",),
              visible=_reads),
)
