"""The forms every register's pages share, each wired in one place: a list's filter form and a
workflow record's step forms. Each is a frame (frames.FrameNode) round the page's own controls
(between the tags)."""
from django import template
from django.urls import reverse

from .frames import FrameNode

register = template.Library()


def _wrapping(parser, token, end: str, what: str, frame: str, values):
    """The tag's three arguments, resolved, given to `values` for the frame's context."""
    bits = token.split_contents()[1:]
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{token.contents.split()[0]} takes {what}")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    args = [parser.compile_filter(bit) for bit in bits]
    return FrameNode(nodelist, lambda context: frame,
                     lambda context: values(*(arg.resolve(context) for arg in args)))


@register.tag("filter_form")
def filter_form(parser, token):
    """`{% filter_form "case-filters" "disputes:cases" "#case-table" %}…controls…{% endfilter_form %}`:
    the form (its id; the export link reads it) that the list's URL answers, on every change, with
    the table fragment swapped into the target and the address kept (core.registerlist)."""
    return _wrapping(parser, token, "endfilter_form", "the form's id, the list's URL name and the table's selector",
                     "core/filters/form.html",
                     lambda form_id, url_name, target: {"form_id": form_id, "url": reverse(url_name), "target": target})


@register.tag("step_form")
def step_form(parser, token):
    """`{% step_form "disputes:act" case b %}…the step's inputs…{% endstep_form %}`: one step the
    reader may take on a workflow record (`b` from the flow's buttons: action, label, style), posted
    to the app's step URL (core.steppage) with the record's version as the page showed it."""
    # the step may be a dict or an object: the frame reads it as templates do
    return _wrapping(parser, token, "endstep_form", "the step URL's name, the record and the step",
                     "core/step_form.html",
                     lambda url_name, record, step: {"url_name": url_name, "record": record, "step": step})
