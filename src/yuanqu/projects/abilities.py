from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# Leaders, the 督查室 and administrators read every project.
READ_ALL = ability("projects.read_all", _("查看全部重大项目"), ADMIN, SUPERVISOR, LEADER)
# Held for units: the project office and each lead unit's reporters keep their unit's projects —
# stage dates, monthly returns, problems. Administrators hold it zone-wide (imports, conversions).
EDIT = ability("projects.edit", _("登记和推进本单位牵头的重大项目"), ADMIN, REPORTER)
