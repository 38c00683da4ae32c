from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def bind_table(context, table) -> str:
    """Hand the page's context to the table, so cell templates see request, csrf token and user."""
    table.context = context
    return ""
