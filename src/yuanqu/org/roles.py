"""The zone's base roles. A new register declares its own roles the same way in its
`abilities.py` (e.g. `GRID_WORKER = role("grid_worker", "网格员", needs_unit=True)`) and gives
them abilities there; no migration is needed (see yuanqu.core.abilities)."""

from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import role

ADMIN = role("admin", _("系统管理员"))
SUPERVISOR = role("supervisor", _("督查室"))
LEADER = role("leader", _("领导"))
REPORTER = role("reporter", _("单位填报员"), needs_unit=True)
