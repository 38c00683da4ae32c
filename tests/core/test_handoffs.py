"""core.handoffs and core.panels: named meeting points between apps that must not import each other."""

import pytest
from django.template import engines

from yuanqu.core import handoffs, panels


def test_an_offer_is_asked_for_by_name_and_a_missing_one_is_a_programming_error(monkeypatch):
    monkeypatch.setattr(handoffs, "_offers", {})
    handoffs.offer("demo.double", lambda *, n: 2 * n)
    assert handoffs.ask("demo.double", n=4) == 8
    with pytest.raises(LookupError):
        handoffs.ask("demo.nobody")


def test_listeners_hear_an_announcement_once_each(monkeypatch):
    monkeypatch.setattr(handoffs, "_listeners", {})
    heard = []

    def listener(**kwargs):
        heard.append(kwargs)

    handoffs.listen("demo.closed", listener)
    handoffs.listen("demo.closed", listener)  # registering twice (a re-import) does not double it
    handoffs.announce("demo.closed", item=1)
    handoffs.announce("demo.nobody.listens")
    assert heard == [{"item": 1}]


def test_supervision_offers_raising_an_item():
    assert "supervision.raise_item" in handoffs._offers


def test_a_panel_point_renders_the_registered_templates_unescaped_and_nothing_when_empty(monkeypatch):
    monkeypatch.setattr(panels, "_points", {})
    template = engines["django"].from_string('{% load panels %}[{% panels "demo.point" record %}]')
    assert template.render({"record": "x"}) == "[]"
    panels.register("demo.point", "projects/_lead_panel.html")
    assert panels.templates_for("demo.point") == ["projects/_lead_panel.html"]
