from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The 信访/调解 office (综治中心's 信访办 and 司法所's 调委会 desk): a unit's role given in the admin
# site; it runs every case in the zone, whichever unit it is assigned to.
OFFICE = role("dispute_office", _("信访调解办"), needs_unit=True)

READ_ALL = ability("disputes.read_all", _("查看全部调解和信访件"), ADMIN, SUPERVISOR, LEADER, OFFICE)
# Register cases, assign and reassign them, approve extensions, register review requests, close, raise.
MANAGE = ability("disputes.manage", _("登记、分派、批准延期、办结调解和信访件"), OFFICE, ADMIN)
# A unit's people handle the cases assigned to their unit (the scope narrows them to it).
HANDLE = ability("disputes.handle", _("受理、办理本单位承办的调解和信访件"), REPORTER, OFFICE, ADMIN)
