from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("企业"), "enterprises:list", icon="buildings", order=78, section=_("企业服务"), active=("enterprises:*",),
              visible=lambda user: user.can("enterprises.read") or bool(user.scope_units())),
)
