from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability, role
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# The 生态环境 unit's people who keep the 散乱污 side: a unit's role, given in the admin site.
ENVIRONMENT = role("environment", _("生态环境企业清理管理员"), needs_unit=True)

READ_ALL = ability("cleanup.read_all", _("查看全部企业清理案件和候选名单"), ADMIN, SUPERVISOR, LEADER, ECONOMY,
                   ENVIRONMENT)
# The 经发局 and the 生态环境 unit identify, confirm or dismiss, and dispose.
MANAGE = ability("cleanup.manage", _("认定、排除和处置僵尸企业、散乱污企业"), ADMIN, ECONOMY, ENVIRONMENT)
# A unit given a case records its steps (the scope narrows it to the unit's cases).
HANDLE = ability("cleanup.handle", _("登记本单位承办的清理处置步骤"), REPORTER, ADMIN)
