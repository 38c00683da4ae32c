from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("chains.read_all", _("查看全部产业链图谱"), ADMIN, SUPERVISOR, LEADER)
# Held for units: a chain's lead unit (e.g. 招商局) reads and edits its own chains.
EDIT = ability("chains.edit", _("编辑产业链图谱和链上企业"), ADMIN, SUPERVISOR, REPORTER)
