from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.org.roles import ADMIN, LEADER, SUPERVISOR

# The 经发局's people who keep the register: a unit's role, given beside 单位填报员 in the admin site.
ECONOMY = role("economy", _("经发局企业管理员"), needs_unit=True)

READ = ability("enterprises.read", _("查看全部企业"), ADMIN, SUPERVISOR, LEADER, ECONOMY)
EDIT = ability("enterprises.edit", _("登记和修改企业、导入年度数据"), ADMIN, ECONOMY)

# 亩均效益: the 经发局 keeps the schemes, runs and publishes; the 督查室 and leaders sign a run off.
MUJUN_RUN = ability("enterprises.mujun_run", _("维护亩均评价方案、运行和发布评价"), ADMIN, ECONOMY)
MUJUN_SIGN = ability("enterprises.mujun_sign", _("签核亩均评价"), ADMIN, SUPERVISOR, LEADER)
