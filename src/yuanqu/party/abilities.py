from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, grant, role
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The 党建工作办公室's people: they keep the register and the checklists and review every assessment.
PARTY_OFFICE = role("party_office", _("党建办工作人员"))

READ_ALL = ability("party.read_all", _("查看全部党组织、考评、两新覆盖和换届"), ADMIN, SUPERVISOR, LEADER, PARTY_OFFICE)
MANAGE = ability("party.manage", _("登记党组织、维护考评清单、审核评定、维护两新覆盖和换届"), ADMIN, PARTY_OFFICE)
# Held for a unit: a village's (or any unit's) reporter self-assesses the organisations of its unit
# and reports its 两委换届 steps done.
SELF_ASSESS = ability("party.self_assess", _("本单位党组织自评、报告换届进度"), REPORTER)
# The 党建办 opens the village pages (org) of every village and community.
grant("org.read_villages", PARTY_OFFICE)
