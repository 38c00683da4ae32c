"""A plan's text has a length no real plan reaches (one rule for the page, the API and the command),
and lists of targets never carry their plan's full text along (one copy per target row)."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.plans import services
from yuanqu.plans.models import Plan
from yuanqu.plans.services import MAX_PLAN_CHARS

from ..factories import target

pytestmark = pytest.mark.django_db

HEAD = "2027年度工作计划\n一、招商引资。一是招大引强。全年新招引亿元以上项目不少于12个。\n"


def too_long() -> str:
    return HEAD + "各" * (MAX_PLAN_CHARS + 1 - len(HEAD))


def test_the_limit_is_three_hundred_thousand_characters():
    assert MAX_PLAN_CHARS == 300_000
    services.check_plan_length("字" * MAX_PLAN_CHARS)
    with pytest.raises(services.ApplicationError, match="计划原文共 300,001 字，超过上限 300,000 字"):
        services.check_plan_length("字" * (MAX_PLAN_CHARS + 1))


def test_the_page_refuses_a_longer_plan_and_writes_nothing(client, users):
    client.force_login(users["supervisor"])
    response = client.post("/plans/import/", {"text": too_long(), "year": "2027"})
    assert response.status_code == 200
    assert "计划原文共 300,001 字，超过上限 300,000 字" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_page_refuses_a_longer_plan_file(client, users):
    client.force_login(users["supervisor"])
    upload = SimpleUploadedFile("计划.txt", too_long().encode("utf-8"), content_type="text/plain")
    response = client.post("/plans/import/", {"file": upload, "year": "2027"})
    assert "超过上限 300,000 字" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_api_refuses_a_longer_plan_in_its_error_shape(client_as):
    response = client_as("supervisor").post("/api/plans/plans/import/", {"text": too_long(), "year": 2027},
                                            format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "text" and "超过上限 300,000 字" in body["message"]
    assert not Plan.objects.exists()


def test_the_command_refuses_a_longer_plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(too_long(), encoding="utf-8")
    with pytest.raises(CommandError, match="超过上限 300,000 字"):
        call_command("plan", "import", str(path), "--year", "2027", stdout=StringIO(), stderr=StringIO())
    assert not Plan.objects.exists()


# ---------------------------------------------------------------- query shapes

BIG = "园" * 50_000


def selects_text_per_row(sql: str) -> bool:
    """A query reading plans_plan.source_text from any table but plans_plan itself: one copy per row."""
    return '"plans_plan"."source_text"' in sql and not re.search(r'FROM "plans_plan"( |$)', sql)


@pytest.fixture
def heavy_plan(plan, users):
    Plan.objects.filter(pk=plan.pk).update(source_text=BIG)
    services.report_submit(actor=users["agri"], target=target(plan, "培育新型农民"), period=dt.date(plan.year, 8, 1),
                           value="10", narrative="进行中")
    return plan


@pytest.mark.parametrize("role,url", [
    ("supervisor", "/api/plans/plans/{pk}/"),
    ("supervisor", "/api/plans/targets/?plan={pk}"),
    ("supervisor", "/api/plans/reports/"),
    ("supervisor", "/targets/?plan={pk}"),
    ("supervisor", "/plans/{pk}/"),
    ("supervisor", "/review/"),
    ("agri", "/my/"),
    ("supervisor", "/plans/{pk}/review/"),
    ("leader", "/cockpit/?plan={pk}"),
    ("supervisor", "/supervision/"),
])
def test_lists_of_targets_leave_their_plans_text_behind(client, users, heavy_plan, role, url):
    client.force_login(users[role])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(pk=heavy_plan.pk))
    assert response.status_code == 200, url
    offending = [q["sql"][:300] for q in queries.captured_queries if selects_text_per_row(q["sql"])]
    assert not offending, offending
