from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The inspecting bureaus' people (应急、环保、城管执法): a unit's role, given in the admin site.
INSPECTOR = role("inspector", _("检查人员"), needs_unit=True)

READ_ALL = ability("inspections.read_all", _("查看全部检查、隐患和治理工程"), ADMIN, SUPERVISOR, LEADER)
# Records inspections and hazards for the unit, issues notices, re-checks, revisits, raises to 督办.
INSPECT = ability("inspections.inspect", _("登记检查、下达整改通知、复查"), INSPECTOR, ADMIN)
# The responsible unit rectifies its hazards and keeps its works' stages (the scope narrows it).
RECTIFY = ability("inspections.rectify", _("整改本单位的隐患、登记治理工程进度"), REPORTER, ADMIN)
CONFIGURE = ability("inspections.configure", _("维护检查表、回头看规则和工程类别"), ADMIN)
