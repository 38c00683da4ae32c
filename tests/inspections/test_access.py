"""Who reads and acts on inspections and hazards, on every page and endpoint: leaders, the 督查室
and the administrator read all; the inspecting bureau its inspections and the hazards it found;
a responsible unit its hazards (and those of units under it); others nothing. Out of scope is a
404, a forbidden step a 403; query counts stay flat as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.inspections import services
from yuanqu.inspections.models import Hazard

from ..access import assert_each_in_scope, assert_pages_open, assert_register_shows
from .conftest import D, step

ALL = {"H1", "H2"}
# H1: found at the enterprise, 招商局 responsible; H2: at a site, 三南村 responsible.
READS = {"admin": ALL, "supervisor": ALL, "leader": ALL, "inspector": ALL, "invest": {"H1"}, "agri": {"H2"},
         "village": {"H2"}, "invest_village": ALL, "leader_invest": ALL, "nounit": set()}
INSPECTION_READERS = {"admin", "supervisor", "leader", "inspector", "leader_invest"}
NOTIFIERS = {"admin", "inspector"}
# Who may report H1 rectified (招商局 responsible): its unit's people and the administrator.
RECTIFIERS = {"admin", "invest", "invest_village", "leader_invest"}
PAGES = ["/inspections/", "/inspections/export.xlsx", "/inspections/inspections/", "/inspections/inspections/export.xlsx",
         "/inspections/revisits/", "/inspections/works/"]


@pytest.fixture
def world(zone, units, make_hazard, make_inspection):
    h1 = make_hazard(unit="invest", text="H1 消防通道堵塞")
    site = services.inspection_create(actor=zone["inspector"], data={
        "domain": "urban", "site": "通沙河岸", "village": units["village"].pk, "inspected_on": D(2026, 9, 2),
        "inspectors": "城管队"})
    h2 = make_hazard(unit="village", inspection=site, text="H2 河岸垃圾")
    return {"H1": h1, "H2": h2}


@pytest.mark.parametrize("role", list(READS))
def test_every_page_opens_for_a_reader_and_is_a_403_for_others(client, zone, world, role):
    client.force_login(zone[role])
    assert_pages_open(client, PAGES, denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_and_the_api_show_exactly_the_roles_hazards(client, zone, world, role):
    client.force_login(zone[role])
    assert_register_shows(client, page="/inspections/", export="/inspections/export.xlsx", api="/api/inspections/hazards/",
                          field="description", names=ALL, expected=READS[role], denied=role == "nounit")
    inspections = client.get("/api/inspections/inspections/").json()["results"]
    assert len(inspections) == (2 if role in INSPECTION_READERS else 0)


@pytest.mark.parametrize("role", list(READS))
def test_one_hazard_out_of_scope_is_a_404_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    assert_each_in_scope(client, {n: world[n] for n in ALL}, READS[role],
                         lambda pk: (f"/api/inspections/hazards/{pk}/", f"/inspections/hazards/{pk}/"), denied=role == "nounit")
    pk = world["H1"].inspection_id
    assert client.get(f"/api/inspections/inspections/{pk}/").status_code == (
        200 if role in INSPECTION_READERS else 404)


@pytest.mark.parametrize("role", list(READS))
def test_only_the_inspecting_unit_notifies_and_only_the_responsible_unit_reports(client, zone, world, role):
    client.force_login(zone[role])
    hazard = world["H1"]
    r = client.post(f"/api/inspections/hazards/{hazard.pk}/notify/", {"version": 1, "deadline": "2026-09-30"},
                    content_type="application/json")
    if "H1" not in READS[role]:
        assert r.status_code == 404
        return
    assert r.status_code == (200 if role in NOTIFIERS else 403), r.content
    if role not in NOTIFIERS:
        step(hazard, "notify", zone["inspector"], deadline=D(2026, 9, 30))
    hazard.refresh_from_db()
    r = client.post(f"/inspections/hazards/{hazard.pk}/report/", {"expected_version": hazard.version, "comment": "已整改"})
    assert r.status_code == (302 if role in RECTIFIERS else 403)
    hazard.refresh_from_db()
    assert hazard.state == ("recheck" if role in RECTIFIERS else "rectifying")


def test_the_api_refusals_name_the_field_in_chinese(client, zone, world):
    client.force_login(zone["inspector"])
    pk = world["H1"].pk
    r = client.post(f"/api/inspections/hazards/{pk}/notify/", {"version": 1, "deadline": "2026-08-01"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "deadline" and "不能早于检查日期" in r.json()["message"]
    r = client.post(f"/api/inspections/hazards/{pk}/pass/", {"version": 1}, content_type="application/json")
    assert r.status_code == 400 and r.json()["message"] == "尚未下达整改通知，不能复查。"
    r = client.post(f"/api/inspections/hazards/{pk}/notify/", {"version": 9, "deadline": "2026-09-30"},
                    content_type="application/json")
    assert r.status_code == 409
    r = client.post("/api/inspections/hazards/", {"inspection": world["H1"].inspection_id, "description": "x"},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "responsible_unit"
    detail = client.get(f"/api/inspections/hazards/{pk}/").json()
    assert detail["allowed_actions"] == ["notify"] and detail["state"] == "found"


def test_the_hazard_page_shows_the_steps_and_the_refusal(client, zone, world):
    client.force_login(zone["inspector"])
    pk = world["H1"].pk
    page = client.get(f"/inspections/hazards/{pk}/").content.decode()
    assert 'data-testid="step-notify"' in page and 'data-testid="step-pass"' not in page
    r = client.post(f"/inspections/hazards/{pk}/notify/", {"expected_version": 1, "deadline": "2026-08-01"})
    assert r.status_code == 400 and "整改期限（2026-08-01）不能早于检查日期（2026-09-01）。" in r.content.decode()
    assert Hazard.objects.get(pk=pk).state == "found"


def test_recording_an_inspection_and_a_hazard_on_the_pages(client, zone, units, firm):
    client.force_login(zone["inspector"])
    r = client.post("/inspections/inspections/new/", {"domain": "pollution", "enterprise": firm.pk,
                                                      "inspected_on": "2026-09-10", "inspecting_unit": zone["inspector"].unit_id,
                                                      "inspectors": "郑刚"})
    assert r.status_code == 302
    url = r["Location"]
    r = client.post(url, {"description": "废水直排", "level": "major", "responsible_unit": ""})
    assert r.status_code == 200 and "请选择隐患的责任单位。" in r.content.decode()
    assert not Hazard.objects.exists()
    r = client.post(url, {"description": "废水直排", "level": "major", "responsible_unit": units["invest"].pk})
    assert r.status_code == 302 and Hazard.objects.get().level == "major"
    client.force_login(zone["invest"])
    assert client.get("/inspections/inspections/new/").status_code == 403


def _grow(zone, units, make_hazard, n):
    for i in range(n):
        hazard = make_hazard(unit="invest" if i % 2 else "village", level="major" if i % 3 == 0 else "general")
        step(hazard, "notify", zone["inspector"], deadline=D(2026, 9, 20))


@pytest.mark.parametrize("role", ["leader", "invest", "inspector"])
def test_queries_stay_flat_as_hazards_grow(client, zone, units, make_hazard, role):
    client.force_login(zone[role])
    counts = []
    for n in (5, 10):  # 5 rows, then 15 in all (3N)
        _grow(zone, units, make_hazard, n)
        found = []
        urls = ["/inspections/", "/inspections/export.xlsx", "/api/inspections/hazards/", "/inspections/inspections/"]
        for url in urls + (["/cockpit/"] if role == "leader" else []):  # the cockpit is the leaders' page
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            found.append(len(ctx))
        counts.append(found)
    assert counts[0] == counts[1], counts
