from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

# No query here (the nav is built on every page): a unit's reporter sees the entry; the page lists
# what its unit owns or counts, which for most departments is nothing.
register(
    MenuEntry(_("乡村指标"), "indicators:list", icon="percent", order=79.5, section=_("党建与乡村"), active=("indicators:*",),
              visible=lambda user: user.can("indicators.read_all") or user.can("indicators.enter")),
)
