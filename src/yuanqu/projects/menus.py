from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("重大项目"), "projects:list", icon="building-gear", order=76, section=_("招商与项目"), active=("projects:*",),
              visible=lambda user: user.can("projects.read_all") or user.can("projects.edit")),
)
