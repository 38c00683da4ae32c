"""With DEBUG off (as `make demo` and production run), refusals show the Chinese pages and a 403 is
logged once, as one line, without a traceback."""

import logging
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import target

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_make_demo_serves_with_debug_off_by_default():
    demo = MAKEFILE.read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    serve = next(line for line in demo.splitlines() if "runserver" in line)
    assert re.search(r"DEBUG=\$\$\{DEBUG:-0\}", serve), serve


def test_another_units_target_is_the_chinese_404(client, plan, users):
    client.force_login(users["village"])
    response = client.get(reverse("plans:target_detail", args=[target(plan, "招引项目").pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "未找到（404）" in page and "不在您的查看范围内" in page
    assert "URLconf" not in page and "DEBUG" not in page


def test_the_chinese_404_loads_its_styles_with_debug_off(client, users):
    client.force_login(users["village"])
    page = client.get("/no-such-page/").content.decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    from django.test import Client

    # WhiteNoise serves static files itself (finders), so the demo needs no DEBUG for them.
    assert Client().get(stylesheet).status_code == 200


def refusals(caplog, path):
    return [r for r in caplog.records if r.name == "django.request" and path in r.getMessage()]


def test_a_refused_page_is_logged_once_as_one_line(client, users, caplog):
    client.force_login(users["village"])
    url = reverse("plans:review_queue")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(url)
    assert response.status_code == 403 and "无权访问（403）" in response.content.decode()
    records = refusals(caplog, url)
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    line = caplog.handler.format(record)
    assert "\n" not in line and "Traceback" not in line
    assert line.count("user=village1") == 1 and "督查室" in line  # who was refused, and why


def test_the_refusal_stays_one_line_when_logging_is_configured_twice(client, users, caplog):
    from yuanqu.core.logs import OneLineRefusal

    # runserver configures logging twice, and dictConfig adds a logger's filters again.
    again = OneLineRefusal()
    logging.getLogger("django.request").addFilter(again)
    try:
        client.force_login(users["village"])
        with caplog.at_level(logging.WARNING, logger="django.request"):
            client.get(reverse("plans:review_queue"))
        [record] = refusals(caplog, reverse("plans:review_queue"))
        assert caplog.handler.format(record).count("user=village1") == 1
    finally:
        logging.getLogger("django.request").removeFilter(again)


def test_a_refused_api_call_is_logged_once_without_a_traceback(client_as, plan, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("leader").post(
            "/api/plans/reports/",
            {"target": target(plan, "招引项目").pk, "period": "2026-09", "narrative": "x", "value": "1"},
            format="json",
        )
    assert response.status_code == 403
    records = refusals(caplog, "/api/plans/reports/")
    assert len(records) == 1 and records[0].exc_info is None
