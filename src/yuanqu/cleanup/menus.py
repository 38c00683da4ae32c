from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(
    MenuEntry(_("企业清理"), "cleanup:cases", icon="recycle", order=79.7, section=_("企业服务"), active=("cleanup:*",),
              visible=lambda user: any(user.can(a) for a in ("cleanup.read_all", "cleanup.handle"))),
)
