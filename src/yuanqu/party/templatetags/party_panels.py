from django import template

from yuanqu.core import clock
from yuanqu.party import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def party_village(context, unit):
    """The village page's Party panel data, read as the page's user may (core.panels point org.village)."""
    return selectors.village_panel(context["request"].user, unit, clock.today())
