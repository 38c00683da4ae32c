from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(MenuEntry(_("领导驾驶舱"), "cockpit:index", icon="speedometer2", order=90,
                   active=("cockpit:*",), visible="cockpit.view"))
