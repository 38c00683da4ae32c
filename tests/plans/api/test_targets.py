"""Targets through the API: writes by role, optimistic locking, filters, evaluation, query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core import clock
from yuanqu.core.models import ChangeRecord
from yuanqu.plans.models import Plan, Section, Target

from ...factories import target
from .conftest import READS_ALL, ROLES, VISIBLE, count_queries, grown_list

MANAGERS = {"admin", "supervisor"}
ADJUST_INSTEAD = "计划已启用，目标内容不能直接修改"


def draft_code(role: str, ok: int) -> int:
    """On a draft: managers may write; those who read drafts get 403, the others 404."""
    return ok if role in MANAGERS else 403 if role in READS_ALL else 404


def as_draft(plan):
    """Targets are edited directly while the plan is a draft (reporters do not see drafts)."""
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    return plan


def write_code(role: str, start: str, ok: int) -> int:
    """Managers may write; others get 403 on what they see and 404 on what they don't."""
    if role in MANAGERS:
        return ok
    return 403 if start in VISIBLE[role] else 404


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_targets(client_as, plan, units, role):
    section = plan.sections.get(no="一")
    body = {
        "plan": plan.pk,
        "section": section.pk,
        "title": "新增外资项目5个",
        "kind": "quantity",
        "comparator": ">=",
        "target_value": "5",
        "unit": "个",
        "lead_unit": units["invest"].pk,
        "cooperating_units": [units["agri"].pk],
    }
    active = client_as(role).post("/api/plans/targets/", body, format="json")
    assert active.status_code == (400 if role in MANAGERS else 403)
    assert not Target.objects.filter(title="新增外资项目5个").exists()
    if role in MANAGERS:
        assert active.json()["message"].startswith(ADJUST_INSTEAD)
    as_draft(plan)
    response = client_as(role).post("/api/plans/targets/", body, format="json")
    # A draft is no plan at all to those who cannot read drafts: the plan field is refused.
    assert response.status_code == (201 if role in MANAGERS else 403 if role in READS_ALL else 400)
    created = Target.objects.filter(title="新增外资项目5个")
    if role in MANAGERS:
        data = response.json()
        assert data["lead_unit"] == {"id": units["invest"].pk, "name": "招商局"}
        assert data["cooperating_units"] == [{"id": units["agri"].pk, "name": "农业农村局"}]
        assert data["evaluation"]["status"] in {"not_started", "red"}
        assert created.get().version == 1
        assert response["ETag"] == '"1"'
    else:
        assert response.json()["field" if role not in READS_ALL else "message"] == (
            "plan" if role not in READS_ALL else "只有督查室或管理员可以新增目标。")
        assert not created.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("start", ["招引项目", "三南村"])
def test_target_update_by_role(client_as, plan, role, start):
    t = target(plan, start)
    active = client_as(role).patch(f"/api/plans/targets/{t.pk}/", {"title": "改后的标题", "version": 1}, format="json")
    assert active.status_code == write_code(role, start, 400)  # an active plan's target is adjusted instead
    assert Target.objects.get(pk=t.pk).version == 1
    as_draft(plan)
    response = client_as(role).patch(
        f"/api/plans/targets/{t.pk}/", {"title": "改后的标题", "version": 1}, format="json"
    )
    assert response.status_code == draft_code(role, 200)
    t.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["title"] == "改后的标题"
        assert response.json()["version"] == 2
        assert response["ETag"] == '"2"'
        assert (t.title, t.version) == ("改后的标题", 2)
    else:
        assert t.title.startswith(start) and t.version == 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("start", ["招引项目", "三南村"])
def test_target_delete_by_role_is_soft(client_as, plan, role, start):
    t = target(plan, start)
    active = client_as(role).delete(f"/api/plans/targets/{t.pk}/", {"version": 1}, format="json")
    assert active.status_code == write_code(role, start, 400)
    as_draft(plan)
    response = client_as(role).delete(f"/api/plans/targets/{t.pk}/", {"version": 1}, format="json")
    assert response.status_code == draft_code(role, 204)
    t.refresh_from_db()
    assert (t.deleted_at is not None) == (response.status_code == 204)
    assert Target.objects.filter(pk=t.pk).exists()  # the row and its history stay


def test_stale_version_is_a_conflict_and_writes_nothing(client_as, plan):
    as_draft(plan)
    t = target(plan, "招引项目")
    client = client_as("supervisor")
    assert (
        client.patch(f"/api/plans/targets/{t.pk}/", {"unit": "项", "version": 1}, format="json").status_code == 200
    )
    before = ChangeRecord.objects.count()
    response = client.patch(f"/api/plans/targets/{t.pk}/", {"title": "基于旧版的修改", "version": 1}, format="json")
    assert response.status_code == 409
    assert "已被他人修改" in response.json()["message"]
    t.refresh_from_db()
    assert (t.title, t.unit, t.version) == ("招引项目100个", "项", 2)
    assert ChangeRecord.objects.count() == before
    stale_delete = client.delete(f"/api/plans/targets/{t.pk}/", HTTP_IF_MATCH='"1"')
    assert stale_delete.status_code == 409
    t.refresh_from_db()
    assert t.deleted_at is None


def test_if_match_header_carries_the_version(client_as, plan):
    as_draft(plan)
    t = target(plan, "招引项目")
    client = client_as("supervisor")
    tag = client.get(f"/api/plans/targets/{t.pk}/")["ETag"]
    assert tag == '"1"'
    response = client.patch(f"/api/plans/targets/{t.pk}/", {"unit": "项"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert client.delete(f"/api/plans/targets/{t.pk}/", HTTP_IF_MATCH=response["ETag"]).status_code == 204


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_writes_without_a_version_are_refused(client_as, plan, method):
    t = target(plan, "招引项目")
    response = getattr(client_as("supervisor"), method)(
        f"/api/plans/targets/{t.pk}/", {"unit": "项"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "version"
    assert "版本号" in response.json()["message"]
    t.refresh_from_db()
    assert (t.unit, t.version, t.deleted_at) == ("个", 1, None)


def test_put_is_not_offered(client_as, plan):
    t = target(plan, "招引项目")
    response = client_as("supervisor").put(
        f"/api/plans/targets/{t.pk}/", {"title": "x", "version": 1}, format="json"
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"target_value": "abc"}, "target_value", "目标值"),
        ({"kind": "nonsense"}, "kind", "指标类型"),
        ({"deadline": "2026-13-40"}, "deadline", "完成期限"),
        ({"lead_unit": 999999}, "lead_unit", "牵头单位"),
        ({"comparator": "range", "target_value": "5"}, None, "目标上限"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_writes_nothing(client_as, plan, body, field, words):
    t = target(plan, "招引项目")
    response = client_as("supervisor").patch(f"/api/plans/targets/{t.pk}/", {**body, "version": 1}, format="json")
    assert response.status_code == 400
    assert words in response.json()["message"]
    if field:
        assert response.json()["field"] == field
    t.refresh_from_db()
    assert t.version == 1 and t.target_value == 100


def test_a_section_of_another_plan_is_refused(client_as, plan):
    other = Plan.objects.create(year=plan.year - 1, title="去年", source_text="一、", status="closed")
    foreign = Section.objects.create(plan=other, no="一", title="别处")
    t = target(plan, "招引项目")
    response = client_as("supervisor").patch(
        f"/api/plans/targets/{t.pk}/", {"section": foreign.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "所选章节不属于该计划。"


def test_filters_narrow_the_list(client_as, plan, units):
    client = client_as("supervisor")

    def titles(**params):
        response = client.get("/api/plans/targets/", params)
        assert response.status_code == 200, response.json()
        return {t["title"][:4] for t in response.json()["results"]}

    assert titles(lead_unit=units["invest"].pk) == {"招引项目", "农民收入"}
    assert titles(kind="milestone") == {"三南村创"}
    assert titles(q="农民") == {"培育新型", "农民收入"}
    assert titles(section=plan.sections.get(no="二").pk) == {"培育新型", "三南村创"}
    assert titles(plan=plan.pk, lead_unit=units["agri"].pk) == {"培育新型"}
    assert client.get("/api/plans/targets/", {"kind": "bogus"}).status_code == 400


def test_filtering_by_an_invisible_plan_is_refused(client_as, plan):
    draft = Plan.objects.create(year=plan.year + 1, title="草稿", source_text="一、")
    response = client_as("invest").get("/api/plans/targets/", {"plan": draft.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "plan"


def test_status_filter_uses_the_computed_light(client_as, plan, users, this_month):
    from yuanqu.plans import services

    done = target(plan, "培育新型农民")
    report = services.report_submit(
        actor=users["agri"], target=done, period=this_month, value="150", narrative="已完成培训"
    )
    services.report_accept(actor=users["supervisor"], report=report)
    client = client_as("supervisor")
    results = client.get("/api/plans/targets/", {"status": "done"}).json()["results"]
    assert [t["id"] for t in results] == [done.pk]
    others = client.get("/api/plans/targets/", {"status": results[0]["evaluation"]["status"]}).json()["results"]
    assert len(others) == 1
    rest = [
        t
        for s in ["not_started", "red", "yellow", "green"]
        for t in client.get("/api/plans/targets/", {"status": s}).json()["results"]
    ]
    assert sorted(t["id"] for t in rest) == sorted(t.pk for t in plan.targets.exclude(pk=done.pk))
    assert client_as("invest").get("/api/plans/targets/", {"status": "done"}).json()["results"] == []


def test_status_filter_and_sort_read_the_stored_lights(client_as, plan):
    # A light stored for today is what the filter, the sort and the figures read (no re-evaluation):
    # storing another says so at once.
    t = target(plan, "三南村")
    Target.objects.filter(pk=t.pk).update(status="done", completion=Decimal("100"), gap=Decimal("-5"),
                                          status_on=clock.today())
    client = client_as("supervisor")
    results = client.get("/api/plans/targets/", {"status": "done"}).json()["results"]
    assert [(r["id"], r["evaluation"]["completion"]) for r in results] == [(t.pk, 100.0)]
    by_completion = client.get("/api/plans/targets/", {"sort": "-completion"}).json()["results"]
    assert by_completion[0]["id"] == t.pk
    assert client.get("/api/plans/targets/", {"sort": "completion"}).json()["results"][-1]["id"] == t.pk


def test_bad_list_input_is_answered(client_as, plan, grow):
    grow(55)
    client = client_as("supervisor")
    default = client.get("/api/plans/targets/").json()
    assert default["count"] == 59 and len(default["results"]) == 50
    last = client.get("/api/plans/targets/", {"page": 999})
    assert last.status_code == 200
    assert [r["id"] for r in last.json()["results"]] == [r["id"] for r in client.get(
        "/api/plans/targets/", {"page": 2}).json()["results"]] and len(last.json()["results"]) == 9
    assert last.json()["next"] is None
    assert client.get("/api/plans/targets/", {"page": 0}).json()["results"] == default["results"]
    unknown = client.get("/api/plans/targets/", {"sort": "drop_table"})
    assert unknown.status_code == 200 and unknown.json()["results"] == default["results"]
    wrong = client.get("/api/plans/targets/", {"status": "purple"})
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "status" and "status" in wrong.json()["message"]
    assert "应为以下之一" in wrong.json()["message"]


def test_every_target_carries_its_evaluation(client_as, plan):
    results = client_as("leader").get("/api/plans/targets/").json()["results"]
    assert len(results) == 4
    for t in results:
        ev = t["evaluation"]
        assert set(ev) == {"status", "status_label", "schedule", "completion", "gap"}
        assert 0 < ev["schedule"] <= 100
        assert ev["status_label"] in {"未开始", "红灯", "黄灯", "绿灯", "已完成"}


@pytest.mark.parametrize("role", ["supervisor", "agri"])
@pytest.mark.parametrize("params", [{}, {"status": "red"}, {"q": "目标"}, {"overdue": "false", "sort": "-gap"}])
def test_target_list_query_count_does_not_grow_with_the_data(client_as, plan, grow, role, params, monkeypatch):
    # Mid-year, so targets with nothing reported are red whatever day the suite runs.
    clock.set_today(dt.date(plan.year, 7, 1))
    body = grown_list(client_as(role), "/api/plans/targets/", grow, params)
    assert body["count"] > 10  # the large page really holds the grown data


def test_target_detail_query_count_does_not_depend_on_cooperating_units(client_as, plan, units):
    t = target(plan, "招引项目")
    client = client_as("supervisor")
    small = count_queries(lambda: client.get(f"/api/plans/targets/{t.pk}/"))
    t.cooperating_units.add(units["agri"], units["area"], units["village"])
    assert count_queries(lambda: client.get(f"/api/plans/targets/{t.pk}/")) == small


def test_a_target_is_bound_to_a_metric_through_the_api(plan, users):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["supervisor"])
    t = plan.targets.get(title__startswith="招引项目")
    url = f"/api/plans/targets/{t.pk}/"
    bad = client.patch(url, {"metric": "plans.ledger_done", "metric_params": {}, "version": 1}, format="json")
    assert bad.status_code == 400 and "缺少参数" in bad.json()["message"]
    ok = client.patch(url, {"metric": "plans.ledger_done", "metric_params": {"target": t.pk}, "version": 1},
                      format="json")
    assert ok.status_code == 200
    assert ok.json()["metric"] == "plans.ledger_done" and ok.json()["metric_params"] == {"target": t.pk}


def test_the_schema_is_not_public(client, users):
    assert client.get("/api/schema/").status_code in {401, 403}
    client.force_login(users["agri"])
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "agri", "invest"])
@pytest.mark.parametrize("params", [
    {}, {"status": "red"}, {"kind": "ledger"}, {"q": "批量目标1"}, {"unit": "agri"}, {"section": 1},
    {"status": "not_started", "kind": "quantity"},
])
def test_the_page_and_the_api_filter_alike(client_as, plan, grow, users, units, role, params):
    """One filter definition: the list page (and its export) select the same targets as the API."""
    from yuanqu.plans.filters import filtered_target_queryset

    grow(6)
    params = dict(params, plan=plan.pk)
    if "unit" in params:
        params["unit"] = units[params["unit"]].pk
    if "section" in params:
        params["section"] = plan.sections.order_by("order")[1].pk
    page_ids = {t.pk for t in filtered_target_queryset(users[role], params, clock.today())[1]}
    api = client_as(role).get("/api/plans/targets/", {**params, "page_size": 500}).json()
    api_ids = {row["id"] for row in api["results"]}
    assert page_ids == api_ids
    assert page_ids or params.keys() - {"plan"}  # the unfiltered list is never empty
