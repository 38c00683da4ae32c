"""The cockpit tile (core.panels point "cockpit.tiles"): organisations 达标 and 示范 this year against
the plan's goals, warnings and the 两新 coverage, scoped to the person looking (request.user)."""

from django import template

from yuanqu.core import clock

from .. import selectors

register = template.Library()


@register.inclusion_tag("party/_tile.html", takes_context=True)
def party_tile(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.can("party.read_all") or user.can("party.self_assess")):
        return {"show": False}
    return {"show": True, "f": selectors.tile_figures(user, clock.today())}
