from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability

from .roles import ADMIN, LEADER, SUPERVISOR

MANAGE_USERS = ability("org.manage_users", _("管理单位、用户与系统设置"), ADMIN)
# The office that maps the unit names of an imported plan may keep a mapping as an alias.
MANAGE_ALIASES = ability("org.manage_aliases", _("维护单位别名"), ADMIN, SUPERVISOR)
# The village or community page (org.views.village_page): zone-wide readers open every one; a
# unit's people open those under their units without it.
READ_VILLAGES = ability("org.read_villages", _("查看各村（社区）概况页"), ADMIN, SUPERVISOR, LEADER)
