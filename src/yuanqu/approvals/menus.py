from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("审批时效"), "approvals:scenarios", icon="stopwatch", order=79, section=_("治理"), active=("approvals:*",),
              visible=lambda user: user.can("approvals.read_all") or user.can("approvals.read_unit")),
)
