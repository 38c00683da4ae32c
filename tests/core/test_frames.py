"""`{% frame %}`: a shared frame round the page's own markup renders as if written out."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load frames %}" + source).render(Context(context))


def test_the_card_table_frame_renders_the_page_markup_in_place():
    html = render('{% frame "core/card_table.html" table_class="table mb-0" card_class="mb-3" header=title %}\n'
                  "    <thead></thead>\n    <tbody>{{ row }}</tbody>\n{% endframe %}", title="<考核>", row="<b>")
    assert html == ('<div class="card mb-3">\n  <div class="card-header">&lt;考核&gt;</div>\n'
                    '  <div class="table-responsive">\n  <table class="table mb-0">\n'
                    "    <thead></thead>\n    <tbody>&lt;b&gt;</tbody>\n  </table>\n  </div>\n</div>")


def test_the_optional_parts_are_left_out():
    html = render('{% frame "core/card_table.html" table_class="table" %}\n    <thead></thead>\n{% endframe %}')
    assert html == ('<div class="card">\n  <div class="table-responsive">\n  <table class="table">\n'
                    "    <thead></thead>\n  </table>\n  </div>\n</div>")


@pytest.mark.parametrize("source", ['{% frame %}{% endframe %}', '{% frame "core/card_table.html" x %}{% endframe %}'])
def test_a_frame_without_its_template_or_with_a_bare_argument_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
