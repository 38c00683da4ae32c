from django import template

from yuanqu.indicators import selectors
from yuanqu.indicators.views import _village_table

register = template.Library()


@register.simple_tag(takes_context=True)
def village_indicators(context, village):
    """The village page's (org) indicators table, the same as /indicators/villages/<id>/, or None
    when the user does not read this village's indicators."""
    user = context["request"].user
    if not (selectors.may_read(user) and selectors.may_read_village(user, village)):
        return None
    return _village_table(user, village)[0]
