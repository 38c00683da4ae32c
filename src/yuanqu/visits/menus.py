from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("走帮服"), "visits:requests", icon="chat-square-text", order=79, section=_("企业服务"), active=("visits:*",),
              visible=lambda user: any(user.can(a) for a in ("visits.read_all", "visits.record", "visits.handle"))),
)
