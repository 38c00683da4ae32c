from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    # Readers of every chain, and whoever edits chains for some unit (a lead unit's reporters).
    MenuEntry(_("产业链图谱"), "chains:list", icon="diagram-3", order=75, section=_("招商与项目"), active=("chains:*",),
              visible=lambda user: user.can("chains.read_all") or bool(user.units_for("chains.edit"))),
)
