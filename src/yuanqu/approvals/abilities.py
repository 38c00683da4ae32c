from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The 行政审批局's staff: the administrator assigns this role for that unit. It keeps the whole
# zone's catalogue, cases and post-approval inspections (一枚印章管审批: one office for all items).
APPROVER = role("approver", _("审批人员"), needs_unit=True)

READ_ALL = ability("approvals.read_all", _("查看全部办件"), ADMIN, SUPERVISOR, LEADER, APPROVER)
EDIT = ability("approvals.edit", _("维护事项目录、办件、改革目标和审后监管"), ADMIN, APPROVER)
# A unit's people read the cases it handles (办理单位); the scope narrows them to their units.
READ_UNIT = ability("approvals.read_unit", _("查看本单位办理的办件"), REPORTER)
