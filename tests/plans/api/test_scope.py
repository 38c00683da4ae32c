"""Who may read what through the API: authentication and the scope of every list and detail."""

import base64

import pytest

from yuanqu.plans.models import Plan, Section

from ...factories import PASSWORD, make_target, target
from .conftest import READS_ALL, ROLES, VISIBLE, starts

ENDPOINTS = [
    ("get", "/api/plans/plans/"),
    ("get", "/api/plans/targets/"),
    ("get", "/api/plans/ledger-items/"),
    ("get", "/api/plans/reports/"),
    ("post", "/api/plans/targets/"),
    ("post", "/api/plans/reports/"),
    ("post", "/api/plans/plans/import/"),
]


@pytest.fixture
def draft_plan(units):
    """Next year's draft, with a target led by 招商局: reporters must not see either."""
    draft = Plan.objects.create(year=Plan.objects.get().year + 1, title="草稿计划", source_text="一、招商。")
    section = Section.objects.create(plan=draft, no="一", title="招商")
    make_target(draft, section, units["invest"], "草稿目标：签约项目20个")
    return draft


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_refused_everywhere(client_as, plan, method, url):
    response = getattr(client_as("anonymous"), method)(url, {}, format="json")
    assert response.status_code in {401, 403}
    assert response.json()["message"]


def test_basic_authentication_works_and_a_wrong_password_is_refused(users, plan):
    from rest_framework.test import APIClient

    client = APIClient()
    good = base64.b64encode(f"invest1:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {good}")
    assert client.get("/api/plans/targets/").status_code == 200
    bad = base64.b64encode(b"invest1:wrong-password").decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {bad}")
    assert client.get("/api/plans/targets/").status_code in {401, 403}


@pytest.mark.parametrize("role", ROLES)
def test_target_list_shows_exactly_the_roles_scope(client_as, plan, draft_plan, role):
    response = client_as(role).get("/api/plans/targets/")
    assert response.status_code == 200
    titles = starts(t["title"] for t in response.json()["results"])
    reads_all = role in READS_ALL
    expected = VISIBLE[role] | ({"草稿目标：签约项目20个"} if reads_all else set())
    assert titles == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_target_detail_outside_the_scope_is_not_found(client_as, plan, role):
    client = client_as(role)
    for start in ["招引项目", "培育新型农民", "三南村", "农民收入"]:
        response = client.get(f"/api/plans/targets/{target(plan, start).pk}/")
        assert response.status_code == (200 if start in VISIBLE[role] else 404), start
        if response.status_code == 404:
            assert response.json()["message"] == "未找到，或您无权查看。"


def test_a_deleted_target_is_gone_from_list_and_detail(client_as, plan):
    from django.utils import timezone

    gone = target(plan, "招引项目")
    gone.deleted_at = timezone.now()
    gone.save()
    client = client_as("supervisor")
    assert client.get(f"/api/plans/targets/{gone.pk}/").status_code == 404
    assert gone.pk not in {t["id"] for t in client.get("/api/plans/targets/").json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_plan_list_hides_drafts_from_reporters(client_as, plan, draft_plan, role):
    client = client_as(role)
    years = {p["title"] for p in client.get("/api/plans/plans/").json()["results"]}
    sees_drafts = role in READS_ALL
    assert years == ({"测试计划", "草稿计划"} if sees_drafts else {"测试计划"})
    assert client.get(f"/api/plans/plans/{draft_plan.pk}/").status_code == (200 if sees_drafts else 404)


@pytest.mark.parametrize("role", ROLES)
def test_report_list_shows_reports_on_visible_targets_only(client_as, reports, role):
    response = client_as(role).get("/api/plans/reports/")
    assert response.status_code == 200
    assert starts(r["target"]["title"] for r in response.json()["results"]) == VISIBLE[role]
    for start, report in reports.items():
        code = client_as(role).get(f"/api/plans/reports/{report.pk}/").status_code
        assert code == (200 if start in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_ledger_list_shows_items_of_visible_targets_only(client_as, plan, role):
    from yuanqu.plans.models import LedgerItem

    items = {s: LedgerItem.objects.create(target=target(plan, s), name=f"{s}台账") for s in VISIBLE["admin"]}
    response = client_as(role).get("/api/plans/ledger-items/")
    assert response.status_code == 200
    assert {i["name"].removesuffix("台账") for i in response.json()["results"]} == VISIBLE[role]
    for start, item in items.items():
        code = client_as(role).get(f"/api/plans/ledger-items/{item.pk}/").status_code
        assert code == (200 if start in VISIBLE[role] else 404)
