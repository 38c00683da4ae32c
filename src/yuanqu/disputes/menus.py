from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("调解信访"), "disputes:cases", icon="people", order=79.8, section=_("治理"), active=("disputes:*",),
              visible=lambda user: any(user.can(a) for a in ("disputes.read_all", "disputes.handle"))),
)
