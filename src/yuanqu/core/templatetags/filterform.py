"""A register list's filter form: the htmx wiring every list page shares, in one place."""
from django import template
from django.template.loader import render_to_string
from django.urls import reverse

register = template.Library()


@register.tag("filter_form")
def filter_form(parser, token):
    """`{% filter_form "case-filters" "disputes:cases" "#case-table" %}…controls…{% endfilter_form %}`:
    the form (its id; the export link reads it) that the list's URL answers, on every change, with
    the table fragment swapped into the target and the address kept (core.registerlist)."""
    bits = token.split_contents()[1:]
    if len(bits) != 3:
        raise template.TemplateSyntaxError(
            "filter_form takes the form's id, the list's URL name and the table's selector")
    nodelist = parser.parse(("endfilter_form",))
    parser.delete_first_token()
    return FilterFormNode(nodelist, *(parser.compile_filter(bit) for bit in bits))


class FilterFormNode(template.Node):
    def __init__(self, nodelist, form_id, url_name, target):
        self.nodelist, self.form_id, self.url_name, self.target = nodelist, form_id, url_name, target

    def render(self, context):
        return render_to_string("core/filters/form.html", {
            "form_id": self.form_id.resolve(context),
            "url": reverse(self.url_name.resolve(context)),
            "target": self.target.resolve(context),
            "controls": self.nodelist.render(context),  # already escaped as it rendered
        })
