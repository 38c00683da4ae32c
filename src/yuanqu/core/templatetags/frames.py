"""Wrapping tags: a frame template rendered round the page's own markup, for the frames pages repeat
round what differs. `{% frame %}` names any frame; core_forms' `filter_form` and `step_form` are
frames with their own arguments."""
from django import template
from django.template.base import token_kwargs

register = template.Library()


class FrameNode(template.Node):
    """Renders the template `frame(context)` with `values(context)` and, as `body`, the markup
    between the tags (escaped as it rendered; white space kept, so the page renders as if written out)."""

    def __init__(self, nodelist, frame, values):
        self.nodelist, self.frame, self.values = nodelist, frame, values

    def render(self, context):
        values = {**self.values(context), "body": self.nodelist.render(context)}
        with context.push(**values):
            return context.template.engine.get_template(self.frame(context)).render(context)


@register.tag("frame")
def frame(parser, token):
    """`{% frame "core/card_table.html" table_class="table mb-0" %}<thead>…</tbody>{% endframe %}`:
    renders the named template with the keyword values and, as `body`, what stands between the tags."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("frame takes a template name, then key=value pairs")
    name = parser.compile_filter(bits[1])
    kwargs = token_kwargs(bits[2:], parser)
    if len(kwargs) != len(bits) - 2:
        raise template.TemplateSyntaxError("frame takes key=value pairs after the template name")
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(nodelist, name.resolve, lambda context: {k: v.resolve(context) for k, v in kwargs.items()})
