from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

# No query here: the 党建办, leaders and the 督查室 read everything; a unit's reporter sees its own
# organisations (for most departments none).
register(
    MenuEntry(_("党建"), "party:list", icon="flag", order=79.7, section=_("党建与乡村"), active=("party:*",),
              visible=lambda user: user.can("party.read_all") or user.can("party.self_assess")),
)
