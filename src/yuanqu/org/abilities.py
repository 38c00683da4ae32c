from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability

from .roles import ADMIN, SUPERVISOR

MANAGE_USERS = ability("org.manage_users", _("管理单位、用户与系统设置"), ADMIN)
# The office that maps the unit names of an imported plan may keep a mapping as an alias.
MANAGE_ALIASES = ability("org.manage_aliases", _("维护单位别名"), ADMIN, SUPERVISOR)
