"""The cockpit tile's figures (core.panels point "cockpit.tiles"): the signed-in user's own scope."""

from django import template

from yuanqu.core import clock

from ..selectors import overview

register = template.Library()


@register.simple_tag(takes_context=True)
def disputes_overview(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not any(
            user.can(a) for a in ("disputes.read_all", "disputes.handle")):
        return []
    return overview(user, clock.today())
