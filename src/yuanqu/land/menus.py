from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("土地"), "land:list", icon="map", order=77, section=_("招商与项目"), active=("land:*",),
              visible=lambda user: user.can("land.read_all") or user.can("land.edit")),
)
