"""Ledger items (台账) through the API: who keeps them, and how they move a ledger target's light."""

import pytest

from yuanqu.plans.models import LedgerItem, Target

from ...factories import make_target, target
from .conftest import ROLES, VISIBLE, grown_list

REPORTABLE = {  # targets each reporter's unit (or one under it) leads
    "invest": {"招引项目", "农民收入"},
    "agri": {"培育新型农民", "三南村"},
    "village": {"三南村"},
    "nounit": set(),
    "invest_village": {"招引项目", "农民收入", "三南村"},
    "leader_invest": {"招引项目", "农民收入"},
}


def ledger_code(role: str, start: str, ok: int, unseen: int = 404) -> int:
    if role in {"admin", "supervisor"} or start in REPORTABLE.get(role, set()):
        return ok
    return 403 if start in VISIBLE[role] else unseen


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("start", ["招引项目", "农民收入", "三南村"])
def test_ledger_create_by_role(client_as, plan, units, role, start):
    t = target(plan, start)
    body = {"target": t.pk, "name": "一号项目", "unit": units["invest"].pk, "amount": "2.5"}
    response = client_as(role).post("/api/plans/ledger-items/", body, format="json")
    # A target the user cannot see is, for them, not a valid choice.
    assert response.status_code == ledger_code(role, start, 201, unseen=400), response.json()
    assert LedgerItem.objects.filter(target=t).exists() == (response.status_code == 201)
    if response.status_code == 201:
        assert response.json()["unit"] == {"id": units["invest"].pk, "name": "招商局"}
        assert response.json()["status_label"] == "未开始"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("start", ["招引项目", "三南村"])
def test_ledger_update_and_delete_by_role(client_as, plan, role, start):
    item = LedgerItem.objects.create(target=target(plan, start), name="事项")
    client = client_as(role)
    patched = client.patch(
        f"/api/plans/ledger-items/{item.pk}/", {"status": "in_progress", "version": 1}, format="json"
    )
    assert patched.status_code == ledger_code(role, start, 200)
    item.refresh_from_db()
    assert item.status == ("in_progress" if patched.status_code == 200 else "planned")
    deleted = client.delete(f"/api/plans/ledger-items/{item.pk}/")
    assert deleted.status_code == ledger_code(role, start, 204)
    item.refresh_from_db()
    assert (item.deleted_at is not None) == (deleted.status_code == 204)


def test_done_ledger_items_move_a_ledger_targets_completion(client_as, plan, units):
    works = make_target(
        plan,
        plan.sections.get(no="二"),
        units["village"],
        "建成村庄污水处理工程",
        kind=Target.Kind.LEDGER,
        comparator="",
        target_value=None,
    )
    client = client_as("village")
    ids = [
        client.post("/api/plans/ledger-items/", {"target": works.pk, "name": n}, format="json").json()["id"]
        for n in ["东村", "西村"]
    ]
    assert client.get(f"/api/plans/targets/{works.pk}/").json()["evaluation"]["completion"] == 0
    done = client.patch(f"/api/plans/ledger-items/{ids[0]}/", {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["completed_on"]  # the service dates it
    assert client.get(f"/api/plans/targets/{works.pk}/").json()["evaluation"]["completion"] == 50


def test_ledger_bad_amount_names_the_field(client_as, plan):
    t = target(plan, "招引项目")
    response = client_as("invest").post(
        "/api/plans/ledger-items/", {"target": t.pk, "name": "x", "amount": "abc"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("数量/金额：")
    assert not LedgerItem.objects.exists()


def test_ledger_stale_version_is_a_conflict(client_as, plan):
    item = LedgerItem.objects.create(target=target(plan, "招引项目"), name="事项", version=3)
    response = client_as("invest").patch(
        f"/api/plans/ledger-items/{item.pk}/", {"name": "改名"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 409
    item.refresh_from_db()
    assert (item.name, item.version) == ("事项", 3)


def test_ledger_filters(client_as, plan):
    LedgerItem.objects.create(
        target=target(plan, "招引项目"), name="甲", status="done", completed_on="2026-01-05"
    )
    LedgerItem.objects.create(target=target(plan, "农民收入"), name="乙")
    client = client_as("supervisor")

    def names(**params):
        return {i["name"] for i in client.get("/api/plans/ledger-items/", params).json()["results"]}

    assert names(status="done") == {"甲"}
    assert names(target=target(plan, "农民收入").pk) == {"乙"}
    assert names(q="乙", plan=plan.pk) == {"乙"}


@pytest.mark.parametrize("role", ["supervisor", "agri"])
def test_ledger_list_query_count_does_not_grow_with_the_data(client_as, plan, grow, role):
    assert grown_list(client_as(role), "/api/plans/ledger-items/", grow)["count"] == 33
