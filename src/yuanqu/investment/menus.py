from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("招商线索"), "investment:lead_list", icon="briefcase", order=76, section=_("招商与项目"), active=("investment:*",),
              visible=lambda user: user.can("investment.read_all") or user.can("investment.edit_leads")),
)
