from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability

from .roles import ADMIN

MANAGE_USERS = ability("org.manage_users", _("管理单位、用户与系统设置"), ADMIN)
