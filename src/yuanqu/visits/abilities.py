from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The cadre who goes out to enterprises (走帮服干部): a unit's role, given in the admin site.
VISITOR = role("visitor", _("走帮服干部"), needs_unit=True)

READ_ALL = ability("visits.read_all", _("查看全部走访和企业诉求"), ADMIN, SUPERVISOR, LEADER, ECONOMY)
RECORD = ability("visits.record", _("登记走访、提出企业诉求"), VISITOR, ECONOMY, ADMIN)
# The 经发局 dispatches: reassigns, returns a reply, closes and raises to a 督办单.
MANAGE = ability("visits.manage", _("分派、退回、办结企业诉求"), ECONOMY, ADMIN)
# A unit's people handle the requests assigned to their unit (the scope narrows them to it).
HANDLE = ability("visits.handle", _("受理、办理、答复本单位的企业诉求"), REPORTER, ADMIN)
