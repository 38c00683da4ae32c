from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("assessment.read_all", _("查看全部考核方案、测算与结果"), ADMIN, SUPERVISOR, LEADER)
MANAGE = ability("assessment.manage", _("编辑考核方案、评分、测算与公示"), ADMIN, SUPERVISOR)
# Held for units: a unit proposes bonus items for itself and the units under it.
PROPOSE_BONUS = ability("assessment.propose_bonus", _("申报本单位加分事项"), REPORTER)
