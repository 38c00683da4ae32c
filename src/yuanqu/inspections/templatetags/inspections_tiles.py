"""The cockpit tile (core.panels point "cockpit.tiles"): hazards open, 重大 and overdue, scoped to
the person looking (request.user) — a unit sees its own, leaders the zone's."""

from django import template

from yuanqu.core import clock

from .. import selectors

register = template.Library()
READERS = ("inspections.read_all", "inspections.inspect", "inspections.rectify")


@register.inclusion_tag("inspections/_tile.html", takes_context=True)
def hazard_tile(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not any(user.can(a) for a in READERS):
        return {"show": False}
    return {"show": True, "figures": selectors.tile_figures(user, clock.today())}
