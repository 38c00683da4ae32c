from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from yuanqu.core import clock
from yuanqu.core.panels import templates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, point: str, obj, cached: bool = False):
    """Render the panels other apps registered for this point (core.panels), with `object` = obj.

    `cached=True` (the cockpit's register tiles: aggregates over registers of 20,000 enterprises or
    200,000 events) keeps each reader's rendering for YUANQU_PANEL_CACHE_SECONDS in the shared cache:
    a tile is then at most that old, and the page does not pay for every register on every visit.
    The reader's role assignments are in the key; a grid worker's grids are not, so a change of
    them shows on the grid tile when the entry expires."""
    seconds = settings.YUANQU_PANEL_CACHE_SECONDS if cached else 0
    user = getattr(context.get("request"), "user", None)
    key = None
    if seconds > 0 and user is not None and user.is_authenticated:
        key = (f"panels:{point}:{getattr(obj, 'pk', obj)}:{user.pk}:{user.assignments_key()}"
               f":{clock.today().isoformat()}:{translation.get_language()}")
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # our own rendering, escaped when it was rendered
    parts = []
    with context.push(object=obj):
        for name in templates_for(point):
            parts.append(get_template(name).template.render(context))
    html = "".join(parts)
    if key:
        cache.set(key, html, seconds)
    return mark_safe(html)  # rendered templates, escaped as they rendered
