from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("indicators.read_all", _("查看全部乡村指标及各村社区的基数"), ADMIN, SUPERVISOR, LEADER)
# The administrator sets an indicator up and names its owner unit; from then on the owner keeps it.
MANAGE = ability("indicators.manage", _("新建乡村指标并指定数据主管单位"), ADMIN)
# Held for a unit: the owner unit (农业农村局, 社会事业局) changes its indicators' caliber (a new
# version), reads and enters every village's counts of them.
DEFINE = ability("indicators.define", _("维护本单位主管的乡村指标及其基数"), ADMIN, REPORTER)
# Held for a unit: counts are entered for the villages and communities in that unit's subtree
# (a village's reporter for the village, a 片区's for its villages).
ENTER = ability("indicators.enter", _("填报本村（社区）的指标基数"), ADMIN, REPORTER)
