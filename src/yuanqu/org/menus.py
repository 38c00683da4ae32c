from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import END, MenuEntry, register

register(MenuEntry(_("管理后台"), "admin:index", icon="gear", order=10, group=END, visible="org.manage_users"))
# The spreadsheet import of units and people (and of every register that declares an importer).
register(MenuEntry(_("数据导入"), "imports:index", icon="upload", order=5, group=END, visible="org.manage_users",
                   active=("imports:*",)))
