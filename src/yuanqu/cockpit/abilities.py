from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, SUPERVISOR

VIEW = ability("cockpit.view", _("查看领导驾驶舱"), ADMIN, SUPERVISOR, LEADER)
