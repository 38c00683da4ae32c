from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(MenuEntry(_("督查通报"), "reports:bulletin_list", icon="file-earmark-text", order=80,
                   active=("reports:*",), visible="reports.read_bulletins"))
