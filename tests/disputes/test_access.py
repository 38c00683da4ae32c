"""Who reads and acts on mediation cases and petitions, on every page and endpoint: the 信访调解办,
leaders and the 督查室 read all; a unit reads and handles the cases assigned to it or under it;
others nothing. Out of scope is a 404, a forbidden step a 403; queries stay flat."""

import pytest

from yuanqu.disputes import services
from yuanqu.disputes.models import CaseEvent, DisputeCase

from ..access import (
    assert_each_in_scope,
    assert_pages_open,
    assert_queries_flat,
    assert_register_shows,
    schema_paths,
)
from .conftest import D, step

ALL = {"C1", "C2"}
# C1: a petition assigned to 招商局; C2: a mediation assigned to 三南村 (under 农业农村局).
READS = {"admin": ALL, "supervisor": ALL, "leader": ALL, "office": ALL, "invest": {"C1"}, "agri": {"C2"},
         "village": {"C2"}, "invest_village": ALL, "leader_invest": ALL, "nounit": set()}
MANAGERS = {"admin", "office"}
# Who may 受理 C1: its unit's people, the office and the administrator.
HANDLERS = {"admin", "office", "invest", "invest_village", "leader_invest"}
PAGES = ["/disputes/", "/disputes/export.xlsx", "/disputes/?kind=petition&overdue=1&open=1"]


@pytest.fixture
def world(zone, make_case):
    c1 = make_case(title="C1 征地补偿")
    c2 = make_case(kind="mediation", unit="village", title="C2 邻里纠纷")
    return {"C1": c1, "C2": c2}


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_and_the_api_show_exactly_the_roles_cases(client, zone, world, role):
    client.force_login(zone[role])
    assert_pages_open(client, PAGES, denied=role == "nounit")
    assert_register_shows(client, page="/disputes/", export="/disputes/export.xlsx", api="/api/disputes/cases/",
                          field="title", names=ALL, expected=READS[role], denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_one_case_out_of_scope_is_a_404_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    assert_each_in_scope(client, {n: world[n] for n in ALL}, READS[role],
                         lambda pk: (f"/api/disputes/cases/{pk}/", f"/disputes/{pk}/"), denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_only_the_assigned_unit_and_the_office_accept_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    c1 = world["C1"]
    api = client.post(f"/api/disputes/cases/{c1.pk}/accept/", {}, content_type="application/json",
                      HTTP_IF_MATCH='"1"')
    expected = 200 if role in HANDLERS else 404 if "C1" not in READS[role] else 403
    assert api.status_code == expected, api.content
    if role in HANDLERS:
        body = api.json()
        assert body["state"] == "handling" and api.headers["ETag"] == '"2"' and "answer" in body["allowed_actions"]
        assert [c["key"] for c in body["clocks"]] == ["acceptance", "handling"]
        page = client.post(f"/disputes/{c1.pk}/answer/", {"expected_version": 2, "comment": "依法答复"})
        assert page.status_code == 302
        assert DisputeCase.objects.get(pk=c1.pk).state == "answered"
    else:
        page = client.post(f"/disputes/{c1.pk}/accept/", {"expected_version": 1})
        assert page.status_code == expected
        assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("role", list(READS))
def test_only_the_office_and_the_administrator_register_cases(client, zone, units, world, role):
    client.force_login(zone[role])
    body = {"kind": "mediation", "title": "新纠纷", "parties": "李四", "assigned_unit": units["agri"].pk}
    created = client.post("/api/disputes/cases/", body, content_type="application/json")
    assert created.status_code == (201 if role in MANAGERS else 403), created.content
    assert client.get("/disputes/new/").status_code == (200 if role in MANAGERS else 403)
    if role in MANAGERS:
        assert created.json()["acceptance_due"] == "2026-09-18" and created.json()["number"].startswith("调")


def test_api_bad_input_names_the_field_in_chinese_and_writes_nothing(client, zone, world, units):
    client.force_login(zone["office"])
    unknown = client.post("/api/disputes/cases/", {"kind": "petition", "title": "x", "parties": "y",
                                                  "assigned_unit": 99999}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "assigned_unit"
    assert "承办单位“99999”不存在" in unknown.json()["message"]
    c1 = world["C1"]
    wrong = client.post(f"/api/disputes/cases/{c1.pk}/answer/", {"version": 1, "comment": "x"},
                        content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["message"] == "当前状态为“待受理”，不能出具办理意见。"
    step(c1, "accept", on=D(2026, 9, 2))
    bare = client.post(f"/api/disputes/cases/{c1.pk}/extend/", {"version": 2, "comment": "复杂"},
                       content_type="application/json")
    assert bare.status_code == 400 and bare.json()["field"] == "approver"
    stale = client.post(f"/api/disputes/cases/{c1.pk}/extend/", {"version": 1, "approver": "主任", "comment": "复杂"},
                        content_type="application/json")
    assert stale.status_code == 409
    page = client.post(f"/disputes/{c1.pk}/extend/", {"expected_version": 2, "approver": "主任"})
    assert page.status_code == 400 and "请填写延期理由" in page.content.decode()
    ok = client.post(f"/api/disputes/cases/{c1.pk}/extend/", {"version": 2, "approver": "主任", "comment": "复杂",
                                                              "on": "2026-09-10"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["extended_due"] == "2026-12-01"
    assert DisputeCase.objects.get(pk=c1.pk).version == 3


def test_the_case_page_shows_clocks_timeline_and_only_the_users_buttons(client, zone, world):
    c1 = step(world["C1"], "accept", on=D(2026, 9, 2))
    client.force_login(zone["invest"])
    html = client.get(f"/disputes/{c1.pk}/").content.decode()
    assert 'data-testid="step-answer"' in html and 'data-testid="step-extend"' not in html
    assert 'data-clock="handling" data-light="green"' in html and "剩余 47 天" in html
    assert "系统 · 受理" in html
    client.force_login(zone["office"])
    html = client.get(f"/disputes/{c1.pk}/").content.decode()
    assert 'data-testid="step-extend"' in html and 'data-testid="step-raise"' in html


def test_the_cockpit_tile_counts_the_users_open_and_overdue_cases(client, zone, world, clock):
    clock.set_today(D(2026, 9, 30))  # C1's acceptance (due 9-16) and C2's (due 9-04) have run out
    client.force_login(zone["leader"])
    html = client.get("/cockpit/").content.decode()
    assert 'data-testid="tile-disputes"' in html and "逾期 1 件" in html
    client.force_login(zone["invest"])
    assert client.get("/disputes/").content.decode().count("其中逾期") == 2


@pytest.mark.parametrize("url", ["/disputes/", "/disputes/export.xlsx", "/api/disputes/cases/", "case", "api-case"])
@pytest.mark.parametrize("role", ["leader", "invest"])
def test_queries_do_not_grow_with_the_number_of_cases(client, zone, world, make_case, url, role):
    client.force_login(zone[role])
    c1 = world["C1"]
    url = {"case": f"/disputes/{c1.pk}/", "api-case": f"/api/disputes/cases/{c1.pk}/"}.get(url, url)

    def add(n):
        for i in range(n):
            case = make_case(kind=("mediation", "petition")[i % 2], unit=("invest", "agri")[i % 2])
            if i % 2:
                step(case, "accept")

    assert_queries_flat(client, url, add)


def test_the_api_is_in_the_schema_without_warnings(tmp_path):
    ours = schema_paths(tmp_path, "/api/disputes/")  # generating the schema fails on any warning
    steps = {f"/api/disputes/cases/{{id}}/{a.replace('_', '-')}/": {"post"} for a in services.ACTIONS}
    assert ours == {"/api/disputes/limits/": {"get"}, "/api/disputes/cases/": {"get", "post"},
                    "/api/disputes/cases/{id}/": {"get", "patch"}, **steps}
