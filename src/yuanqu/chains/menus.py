from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("产业链图谱"), "chains:list", icon="diagram-3", order=45, active=("chains:*",),
              visible=lambda user: user.can("chains.read_all") or user.can("chains.edit")),
)
