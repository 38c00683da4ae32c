from django import template
from django.utils.safestring import mark_safe
from django_tables2.utils import AttributeDict, computed_values

register = template.Library()


@register.simple_tag(takes_context=True)
def bind_table(context, table) -> str:
    """Hand the page's context to the table, so cell templates see request, csrf token and user."""
    table.context = context
    return ""


@register.filter
def attrs(attributes: AttributeDict) -> str:
    """HTML attributes with their leading space, or nothing: `<td{{ column.attrs.td|attrs }}>`."""
    html = attributes.as_html()
    return mark_safe(f" {html}") if html else ""


@register.simple_tag
def row_attrs(row) -> str:
    """The table's row_attrs for this row, without django-tables2's even/odd classes (no style uses them)."""
    table = row.table
    return attrs(AttributeDict(computed_values(table.row_attrs, kwargs={"table": table, "record": row.record})))
