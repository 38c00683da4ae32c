from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("督查督办"), "supervision:list", icon="flag", order=50, active=("supervision:*",)),
    MenuEntry(_("督办待办"), "supervision:inbox", icon="inbox", order=60,
              visible=lambda user: user.can("supervision.handle_item") or user.can("supervision.issue_item")),
)
