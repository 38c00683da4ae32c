from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, SUPERVISOR

READ_BULLETINS = ability("reports.read_bulletins", _("查看督查通报"), ADMIN, SUPERVISOR, LEADER)
GENERATE_BULLETIN = ability("reports.generate_bulletin", _("生成督查通报"), ADMIN, SUPERVISOR)
