"""The cockpit tile's figures, computed for the person looking (their scope), in two queries."""

from django import template

from ..selectors import open_by_class
from ..services import now

register = template.Library()


@register.inclusion_tag("grid/_tile_body.html", takes_context=True)
def grid_tile(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"rows": [], "shown": False}
    rows = open_by_class(user, now())
    return {"rows": rows, "shown": True, "open": sum(r.open for r in rows), "overdue": sum(r.overdue for r in rows)}
