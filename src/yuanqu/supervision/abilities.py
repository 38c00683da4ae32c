from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("supervision.read_all", _("查看全部督办单"), ADMIN, SUPERVISOR, LEADER)
ISSUE_ITEM = ability("supervision.issue_item", _("立项、交办、审核和办结督办单"), ADMIN, SUPERVISOR)
# Held for units: the lead unit's people sign, work on and feed back the items of their units.
HANDLE_ITEM = ability("supervision.handle_item", _("承办本单位牵头的督办单"), REPORTER)
# The 督查室's own people: they hear about feedback, extension requests and overdue items.
OVERSEE = ability("supervision.oversee", _("接收督办反馈、延期申请与逾期提醒"), SUPERVISOR)
# A leader's 批示 on a target or a 督办单. Only leaders: the 督查室 turns them into 督办单
# (supervision.issue_item), it does not write them.
INSTRUCT = ability("supervision.instruct", _("对目标和督办单作出批示"), LEADER)
