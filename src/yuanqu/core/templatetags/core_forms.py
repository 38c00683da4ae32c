"""The forms every register's pages share, each wired in one place: a list's filter form and a
workflow record's step forms. Each wraps the page's own controls (between the tags)."""
from django import template
from django.urls import reverse

register = template.Library()


def _wrapping(parser, token, end: str, what: str):
    bits = token.split_contents()[1:]
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{token.contents.split()[0]} takes {what}")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return nodelist, [parser.compile_filter(bit) for bit in bits]


class _Wrapper(template.Node):
    """Renders `frame` with the wrapped controls (already escaped as they rendered) as `controls`."""
    frame = ""

    def __init__(self, nodelist, args):
        self.nodelist, self.args = nodelist, args

    def values(self, context, *args) -> dict:
        """The frame's context from the tag's arguments: each tag's node says what they mean."""
        raise NotImplementedError(f"{type(self).__name__} gives no values for {self.frame}")

    def render(self, context):
        values = self.values(context, *(arg.resolve(context) for arg in self.args))
        values["controls"] = self.nodelist.render(context)
        with context.push(**values):
            return context.template.engine.get_template(self.frame).render(context)


class FilterFormNode(_Wrapper):
    frame = "core/filters/form.html"

    def values(self, context, form_id, url_name, target):
        return {"form_id": form_id, "url": reverse(url_name), "target": target}


class StepFormNode(_Wrapper):
    frame = "core/step_form.html"

    def values(self, context, url_name, record, step):
        # the step may be a dict or an object: the frame reads it as templates do
        return {"url_name": url_name, "record": record, "step": step}


@register.tag("filter_form")
def filter_form(parser, token):
    """`{% filter_form "case-filters" "disputes:cases" "#case-table" %}…controls…{% endfilter_form %}`:
    the form (its id; the export link reads it) that the list's URL answers, on every change, with
    the table fragment swapped into the target and the address kept (core.registerlist)."""
    return FilterFormNode(*_wrapping(parser, token, "endfilter_form",
                                     "the form's id, the list's URL name and the table's selector"))


@register.tag("step_form")
def step_form(parser, token):
    """`{% step_form "disputes:act" case b %}…the step's inputs…{% endstep_form %}`: one step the
    reader may take on a workflow record (`b` from the flow's buttons: action, label, style), posted
    to the app's step URL (core.steppage) with the record's version as the page showed it."""
    return StepFormNode(*_wrapping(parser, token, "endstep_form",
                                   "the step URL's name, the record and the step"))
