from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

register(MenuEntry(_("目标考核"), "assessment:index", icon="award", order=70, active=("assessment:*",)))
