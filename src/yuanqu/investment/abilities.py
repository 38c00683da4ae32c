from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

# Leaders, the 督查室 and administrators read every lead (the 招商 office works through its unit's reporters).
READ_ALL = ability("investment.read_all", _("查看全部招商线索"), ADMIN, SUPERVISOR, LEADER)
# Held for units: a unit's reporters register, edit, follow up and move on their unit's leads.
# Administrators hold it zone-wide (spreadsheet imports write through the same services).
EDIT_LEADS = ability("investment.edit_leads", _("登记和跟进本单位的招商线索"), ADMIN, REPORTER)
# The target-company library is shared by the whole zone: everyone who works on leads reads it.
READ_COMPANIES = ability("investment.read_companies", _("查看目标企业库"), ADMIN, SUPERVISOR, LEADER, REPORTER)
# Kept by administrators and whoever registers leads (any unit may add a company it courts).
EDIT_COMPANIES = ability("investment.edit_companies", _("维护目标企业库"), ADMIN, REPORTER)
