"""`{% frame %}`: an include that wraps the page's own markup, for the frames pages repeat around
what differs (a card round a hand-written table)."""
from django import template
from django.template.base import token_kwargs

register = template.Library()


class FrameNode(template.Node):
    def __init__(self, name, kwargs, nodelist):
        self.name, self.kwargs, self.nodelist = name, kwargs, nodelist

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values["body"] = self.nodelist.render(context)  # escaped as it rendered
        with context.push(**values):
            return context.template.engine.get_template(self.name.resolve(context)).render(context)


@register.tag("frame")
def frame(parser, token):
    """`{% frame "core/card_table.html" table_class="table mb-0" %}<thead>…</tbody>{% endframe %}`:
    renders the named template with the keyword values and, as `body`, what stands between the
    tags (white space kept, so the page renders as if written out)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("frame takes a template name, then key=value pairs")
    name = parser.compile_filter(bits[1])
    kwargs = token_kwargs(bits[2:], parser)
    if len(kwargs) != len(bits) - 2:
        raise template.TemplateSyntaxError("frame takes key=value pairs after the template name")
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(name, kwargs, nodelist)
