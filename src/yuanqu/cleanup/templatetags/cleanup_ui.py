from django import template

from yuanqu.cleanup.selectors import enterprise_cases as _enterprise_cases

register = template.Library()


@register.simple_tag(takes_context=True)
def enterprise_cases(context, enterprise):
    """The enterprise's clean-up cases the viewer may read (the enterprise page's panel)."""
    request = context.get("request")
    return _enterprise_cases(request.user, enterprise) if request is not None and enterprise is not None else []
