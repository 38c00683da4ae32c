from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from yuanqu.core.panels import templates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, point: str, obj):
    """Render the panels other apps registered for this point (core.panels), with `object` = obj."""
    parts = []
    with context.push(object=obj):
        for name in templates_for(point):
            parts.append(get_template(name).template.render(context))
    return mark_safe("".join(parts))  # rendered templates, escaped as they rendered
