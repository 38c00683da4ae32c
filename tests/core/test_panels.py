"""core.panels: a point renders what the apps registered; cached points keep each reader's rendering."""

from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory

from yuanqu.core import panels
from yuanqu.core.templatetags import panels as panels_tag
from yuanqu.org.models import RoleAssignment

from ..factories import make_user

CACHED = Template('{% load panels %}{% panels "test.point" None cached=True %}')
PLAIN = Template('{% load panels %}{% panels "test.point" None %}')


class _Counting:
    """A template that says who it rendered for and how many times it rendered."""

    renders = 0

    @property
    def template(self):
        return self

    def render(self, context):
        _Counting.renders += 1
        return f"<p>{context['request'].user.username}:{_Counting.renders}</p>"


def _render(template, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return template.render(Context({"request": request}))


def test_a_cached_point_keeps_each_readers_rendering_for_the_set_time(db, settings, monkeypatch):
    monkeypatch.setattr(panels, "_points", {"test.point": ["test/tile.html"]})
    monkeypatch.setattr(panels_tag, "get_template", lambda name: _Counting())
    _Counting.renders = 0
    cache.clear()
    one, two = make_user("one", "leader", None), make_user("two", "leader", None)
    settings.YUANQU_PANEL_CACHE_SECONDS = 300
    assert _render(CACHED, one) == "<p>one:1</p>"
    assert _render(CACHED, one) == "<p>one:1</p>"  # from the cache
    assert _render(CACHED, two) == "<p>two:2</p>"  # another reader: their own
    assert _render(PLAIN, one) == "<p>one:3</p>"  # a point not asked to cache renders each time
    RoleAssignment.objects.create(user=one, role="supervisor")  # what they may see changed
    one.forget_assignments()
    assert _render(CACHED, one) == "<p>one:4</p>"
    assert _render(CACHED, one) == "<p>one:4</p>"
    settings.YUANQU_PANEL_CACHE_SECONDS = 0
    assert _render(CACHED, one) == "<p>one:5</p>"  # switched off: rendered each time
    cache.clear()
