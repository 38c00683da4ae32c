"""Mapping unit names on the review page and through the API: who may, what is written, and a
page whose queries do not grow with the targets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.org.models import OrgUnit, OrgUnitAlias
from yuanqu.plans import services
from yuanqu.plans.models import Plan

from .task_lists import task, task_list

# Who may map: the roles holding plans.edit_plan. Reporters do not see drafts at all (404);
# a leader reads the draft but may not edit it (403).
EXPECTED = {
    "admin": 200, "supervisor": 200, "leader": 403, "leader_invest": 403,
    "invest": 404, "agri": 404, "village": 404, "nounit": 404, "invest_village": 404,
}
API = "/api/plans/plans/{pk}/"


@pytest.fixture
def draft(zone, users, extracted):
    extracted(task_list(
        task("1", "举办投资推介会", lead=["投资促进局"], deadline="2027-05-31", points=1),
        task("2", "建设招商服务平台", lead=["市政务服务局"], coop=["投资促进局"], deadline="2027-11-30"),
        task("3", "完善双招双引机制", lead=["经发局"]),
        year=2027,
    ))
    return services.plan_import_text(actor=users["supervisor"], text="（任务清单原文）")


def targets(plan: Plan) -> dict[str, object]:
    return {t.as_written["item"]: t for t in plan.targets.select_related("lead_unit")}


def test_the_review_page_lists_the_names_to_map_with_their_counts_and_the_card_fields(client, users, draft):
    client.force_login(users["supervisor"])
    html = client.get(reverse("plans:plan_review", args=[draft.pk])).content.decode()
    assert 'id="unit-names"' in html and "2 个单位名称待对应" in html
    assert 'data-unit-name="投资促进局"' in html and "2 个目标（其中 1 个为牵头单位）" in html
    assert 'data-unit-name="经发局"' in html
    assert 'data-unit-name="市政务服务局"' not in html  # resolved to 政务服务局 on import
    assert "2027-05-31" in html and "1分" in html and "待对应：投资促进局" in html
    # The supervisor may keep aliases but not create units.
    assert 'name="keep_alias"' in html and 'value="create"' not in html
    client.force_login(users["admin"])
    assert 'value="create"' in client.get(reverse("plans:plan_review", args=[draft.pk])).content.decode()


def test_mapping_on_the_page_fills_the_targets_and_keeps_the_alias(client, users, zone, draft):
    client.force_login(users["supervisor"])
    response = client.post(reverse("plans:plan_map_unit", args=[draft.pk]), {
        "name": "投资促进局", "unit": zone["invest"].pk, "keep_alias": "1", "action": "map",
        "expected_version": draft.version,
    }, follow=True)
    html = response.content.decode()
    assert "单位名称“投资促进局”对应为“招商局”，涉及2个目标，并保留为该单位的别名。" in html
    t = targets(draft)
    assert t["1"].lead_unit == zone["invest"]
    assert list(t["2"].cooperating_units.all()) == [zone["invest"]]
    assert OrgUnitAlias.objects.get(name="投资促进局").unit == zone["invest"]
    assert 'data-unit-name="投资促进局"' not in html and "1 个单位名称待对应" in html


def test_a_stale_page_or_a_missing_unit_gets_a_message_and_nothing_is_written(client, users, zone, draft):
    client.force_login(users["supervisor"])
    url = reverse("plans:plan_map_unit", args=[draft.pk])
    services.plan_map_unit_name(actor=users["admin"], plan=draft, name="经发局", unit=zone["econ"].pk)
    stale = client.post(url, {"name": "投资促进局", "unit": zone["invest"].pk, "action": "map",
                              "expected_version": 1}, follow=True).content.decode()
    assert "已被他人修改（当前为第2版，您提交的是第1版），请刷新页面后重新操作。" in stale
    missing = client.post(url, {"name": "投资促进局", "unit": "99999", "action": "map",
                                "expected_version": 2}, follow=True).content.decode()
    assert "单位“99999”不存在。" in missing
    assert targets(draft)["1"].lead_unit is None and not OrgUnitAlias.objects.exists()


def test_the_administrator_creates_a_unit_from_the_page(client, users, zone, draft):
    client.force_login(users["admin"])
    client.post(reverse("plans:plan_map_unit", args=[draft.pk]), {
        "name": "投资促进局", "action": "create", "new_name": "投资促进局", "parent": zone["committee"].pk,
        "kind": "department", "unit": "", "expected_version": draft.version,
    })
    assert targets(draft)["1"].lead_unit == OrgUnit.objects.get(name="投资促进局", parent=zone["committee"])


@pytest.mark.parametrize("role", EXPECTED)
def test_who_may_open_the_review_page_and_map_on_it(client, users, zone, draft, role):
    client.force_login(users[role])
    assert client.get(reverse("plans:plan_review", args=[draft.pk])).status_code == EXPECTED[role]
    response = client.post(reverse("plans:plan_map_unit", args=[draft.pk]), {
        "name": "投资促进局", "unit": zone["invest"].pk, "action": "map"})
    assert response.status_code == (302 if EXPECTED[role] == 200 else EXPECTED[role])
    assert (targets(draft)["1"].lead_unit_id is not None) == (EXPECTED[role] == 200)


def test_bulk_correction_of_deadline_and_points_on_the_page(client, users, draft):
    client.force_login(users["supervisor"])
    t = targets(draft)
    response = client.post(reverse("plans:plan_bulk", args=[draft.pk]), {
        "action": "assign", "pick": [f"{t['1'].pk}:{t['1'].version}", f"{t['3'].pk}:{t['3'].version}"],
        "lead_unit": "", "deadline": "2027-08-31", "points": "1.5"}, follow=True)
    assert "已为2个目标设置完成期限2027-08-31、设置分值1.5。" in response.content.decode()
    t = targets(draft)
    assert [(t[i].deadline.isoformat(), str(t[i].points)) for i in "13"] == [("2027-08-31", "1.50")] * 2
    assert str(t["2"].deadline) == "2027-11-30"


def test_the_review_page_does_not_grow_its_queries_with_the_targets(client, users, zone, extracted):
    client.force_login(users["supervisor"])

    def page_queries(n: int) -> int:
        extracted(task_list(*(task(str(i), f"任务{i}", lead=["投资促进局" if i % 2 else "招商局"],
                                   coop=["经发局", "社会事业局"], deadline="2027-06-30", points=1)
                              for i in range(n)), year=2027))
        plan = services.plan_import_text(actor=users["supervisor"], text="…")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("plans:plan_review", args=[plan.pk]))
        assert response.status_code == 200 and response.context["target_count"] == n
        return len(ctx.captured_queries)

    assert page_queries(4) == page_queries(40)


# ---------------------------------------------------------------- API


def test_the_api_lists_the_names_and_maps_one(client_as, zone, draft):
    client = client_as("supervisor")
    listed = client.get(API.format(pk=draft.pk) + "unit-names/").json()
    assert listed["version"] == 1
    assert [(n["name"], n["targets"], n["as_lead"]) for n in listed["names"]] == [("投资促进局", 2, 1), ("经发局", 1, 1)]
    response = client.post(API.format(pk=draft.pk) + "map-unit/", {
        "name": "经发局", "unit": zone["econ"].pk, "keep_alias": True, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json() == {"version": 2, "names": [
        {"name": "投资促进局", "targets": 2, "as_lead": 1, "candidates": []}]}
    assert targets(draft)["3"].lead_unit == zone["econ"] and OrgUnitAlias.objects.get().name == "经发局"
    detail = client.get(f"/api/plans/targets/{targets(draft)['1'].pk}/").json()
    assert detail["points"] == "1.00" and detail["deadline"] == "2027-05-31"
    assert detail["as_written"]["unmapped"] == ["投资促进局"]


@pytest.mark.parametrize(("body", "code", "message"), [
    ({"name": "经发局", "unit": 99999, "version": 1}, 400, "单位“99999”不存在。"),
    ({"name": "经发局", "unit": "econ", "version": 5}, 409, "当前为第1版，您提交的是第5版"),
    ({"name": "经发局", "unit": "econ"}, 400, "请提供所修改记录的版本号"),
    ({"name": "经发局", "version": 1}, 400, "对应单位：请在 unit（已有单位）、new_unit（新建单位）、ignore（忽略）中选且只选一项。"),
    ({"name": "经发局", "unit": "econ", "ignore": True, "version": 1}, 400, "中选且只选一项"),
    ({"name": "经发局", "new_unit": {"name": "经发局"}, "version": 1}, 403, "只有系统管理员可以新增单位。"),
    ({"unit": "econ", "version": 1}, 400, "单位名称：该字段是必填项。"),
])
def test_bad_api_mappings_get_a_chinese_message_and_write_nothing(client_as, zone, draft, body, code, message):
    if body.get("unit") == "econ":
        body = {**body, "unit": zone["econ"].pk}
    response = client_as("supervisor").post(API.format(pk=draft.pk) + "map-unit/", body, format="json")
    assert response.status_code == code and message in response.json()["message"]
    draft.refresh_from_db()
    assert draft.version == 1 and targets(draft)["3"].lead_unit is None
    assert not OrgUnitAlias.objects.exists() and not OrgUnit.objects.filter(name="经发局").exists()


def test_the_version_may_come_as_if_match(client_as, zone, draft):
    response = client_as("supervisor").post(API.format(pk=draft.pk) + "map-unit/", {"name": "经发局", "ignore": True},
                                            format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and [n["name"] for n in response.json()["names"]] == ["投资促进局"]


@pytest.mark.parametrize("role", EXPECTED)
def test_who_may_read_and_map_names_through_the_api(client_as, zone, draft, role):
    client = client_as(role)
    listed = client.get(API.format(pk=draft.pk) + "unit-names/")
    mapped = client.post(API.format(pk=draft.pk) + "map-unit/",
                         {"name": "经发局", "unit": zone["econ"].pk, "version": 1}, format="json")
    assert listed.status_code == mapped.status_code == EXPECTED[role]
    if EXPECTED[role] != 200:
        assert mapped.json()["message"] in {"只有督查室或管理员可以对应单位名称。", "未找到，或您无权查看。"}
    assert (targets(draft)["3"].lead_unit_id is not None) == (EXPECTED[role] == 200)


def test_bulk_assign_through_the_api_sets_deadline_and_points(client_as, draft):
    t = targets(draft)
    response = client_as("supervisor").post(API.format(pk=draft.pk) + "assign/", {
        "targets": [{"id": t["2"].pk, "version": t["2"].version}], "deadline": "2027-07-31", "points": "0.5",
    }, format="json")
    assert response.status_code == 200
    t = targets(draft)
    assert (str(t["2"].deadline), str(t["2"].points), t["2"].lead_unit.name) == ("2027-07-31", "0.50", "政务服务局")
