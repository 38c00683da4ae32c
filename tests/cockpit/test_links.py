"""Every clickable figure leads to the list behind it, with the list's own GET parameters."""

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories import target

URL = reverse("cockpit:index")
LIST = reverse("plans:target_list")


def _query(url: str) -> dict:
    parts = urlsplit(url)
    return {"path": parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()}}


@pytest.fixture
def page(client, users, plan, on, accept, units, supervision_item):
    accept(target(plan, "招引项目"), 5, value=20)
    supervision_item(units["agri"], on - dt.timedelta(days=4), title="逾期的督办事项")
    client.force_login(users["leader"])
    response = client.get(URL)
    html = response.content.decode()
    data = json.loads(re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)[1])
    return {"html": html, "data": data, "plan": plan}


def test_chart_data_in_the_page_is_the_context_data(page, client):
    assert page["data"]["plan"]["id"] == page["plan"].pk
    assert 'data-testid="chart-sections"' in page["html"]
    assert 'data-testid="chart-trend"' in page["html"]
    assert "vendor/echarts/echarts.min.js" in page["html"]
    assert "//cdn" not in page["html"]


def test_section_segments_open_the_list_by_plan_section_and_status(page):
    plan = page["plan"]
    for section, shown in zip(plan.sections.order_by("order"), page["data"]["sections"], strict=True):
        assert _query(shown["url"]) == {"path": LIST, "plan": str(plan.pk), "section": str(section.pk)}
        for status, url in shown["urls"].items():
            assert _query(url) == {"path": LIST, "plan": str(plan.pk), "section": str(section.pk), "status": status}
        # The same links without JavaScript, under the chart.
        assert f'href="{shown["url"]}"' in page["html"].replace("&amp;", "&")
        for seg in shown["segments"]:
            if seg["count"]:
                assert f'href="{seg["url"]}"' in page["html"].replace("&amp;", "&")


def test_section_links_list_is_in_the_dom(page):
    block = re.search(r'data-testid="section-links">(.*?)</ul>', page["html"], re.S)[1]
    for shown in page["data"]["sections"]:
        assert shown["name"] in block


def test_headline_tiles_link_to_their_lists(page):
    plan = page["plan"]
    urls = page["data"]["headline"]["urls"]
    assert _query(urls["total"]) == {"path": LIST, "plan": str(plan.pk)}
    assert _query(urls["done"]) == {"path": LIST, "plan": str(plan.pk), "status": "done"}
    assert _query(urls["red"]) == {"path": LIST, "plan": str(plan.pk), "status": "red"}
    assert _query(urls["overdue"]) == {"path": reverse("supervision:list"), "overdue": "1"}
    html = page["html"].replace("&amp;", "&")
    for key in ["total", "done", "red", "overdue", "completion"]:
        assert re.search(rf'href="{re.escape(urls[key])}" data-testid="kpi-{key}"', html), key


def test_lagging_rows_link_to_target_detail(page):
    rows = page["data"]["lagging"]
    assert {r["id"] for r in rows} == set(page["plan"].targets.values_list("pk", flat=True))
    for row in rows:
        assert row["url"] == reverse("plans:target_detail", args=[row["id"]])
        assert f'href="{row["url"]}"' in page["html"]


def test_ranking_units_link_to_the_list_by_unit(page, units):
    rows = page["data"]["ranking"]["rows"]
    assert rows
    for row in rows:
        assert _query(row["url"]) == {"path": LIST, "plan": str(page["plan"].pk), "unit": str(row["unit_id"])}
        assert f'href="{row["url"]}"' in page["html"].replace("&amp;", "&")


def test_overdue_items_and_count_link_to_supervision(page):
    overdue = page["data"]["overdue"]
    assert overdue["count"] == 1
    item = overdue["rows"][0]
    assert item["days"] == 4 and item["unit"] == "农业农村局"
    assert f'href="{reverse("supervision:detail", args=[item["id"]])}"' in page["html"]
    assert re.search(rf'href="{re.escape(overdue["url"])}" data-testid="overdue-count"', page["html"])


def test_trend_points_open_the_list_of_their_status(page):
    trend = page["data"]["trend"]
    for status, url in trend["urls"].items():
        assert _query(url) == {"path": LIST, "plan": str(page["plan"].pk), "status": status}


def test_target_list_understands_the_links(client, users, page, on, monkeypatch):
    """The list the links lead to filters as the cockpit counted (section × status), on the same day."""
    client.force_login(users["leader"])
    for shown in page["data"]["sections"]:
        for status, url in shown["urls"].items():
            response = client.get(url)
            assert response.status_code == 200
            assert len(response.context["table"].data) == shown["counts"][status], (shown["name"], status)
