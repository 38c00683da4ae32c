from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# 网格员 / 网格长: held for the village or community the grid hangs under; which grids a person
# works is the registry's (Grid.leader, Grid.workers), and they read those grids' events.
GRID_WORKER = role("grid_worker", _("网格员"), needs_unit=True)
# The command centre (网格化服务管理中心) accepts, dispatches, verifies and closes: zone-wide.
DISPATCHER = role("grid_dispatcher", _("网格指挥中心"))

READ_ALL = ability("grid.read_all", _("查看全部网格和网格事件"), ADMIN, SUPERVISOR, LEADER, DISPATCHER)
REPORT = ability("grid.report", _("上报网格事件"), GRID_WORKER, DISPATCHER, ADMIN)
DISPATCH = ability("grid.dispatch", _("受理、分拨、核查、结案网格事件"), DISPATCHER, ADMIN)
MANAGE = ability("grid.manage", _("维护网格、事件分类、分拨规则和处置时限"), DISPATCHER, ADMIN)
# A unit's people sign for, handle and answer the events routed to their unit (the scope narrows).
HANDLE = ability("grid.handle", _("签收、处置、反馈分拨给本单位的网格事件"), REPORTER, ADMIN)
