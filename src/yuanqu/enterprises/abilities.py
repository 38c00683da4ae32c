from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, SUPERVISOR

READ = ability("enterprises.read", _("查看企业名录"), ADMIN, SUPERVISOR, LEADER)
EDIT = ability("enterprises.edit", _("登记和修改企业"), ADMIN, SUPERVISOR)
