"""Who reads and writes approvals, on every page and endpoint; out of scope is a 404; the pages'
and the API's queries stay flat as cases grow; the API is in the OpenAPI schema."""

import pytest

from yuanqu.approvals.models import Case, Inspection

from ..access import queries, sheet_rows, signed_in
from .conftest import D

# role → the cases it reads: the 行政审批局's own (S-1, no handling unit) and 招商局's (S-2)
READS = {"admin": {"S-1", "S-2"}, "supervisor": {"S-1", "S-2"}, "leader": {"S-1", "S-2"},
         "approver": {"S-1", "S-2"}, "invest": {"S-2"}, "agri": set(), "invest_village": {"S-2"}}
WRITES = {"admin", "approver"}


@pytest.fixture
def zone(users, units, approver, bundle, make_case):
    users["approver"] = approver
    make_case("permit", number="S-1", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 6))
    make_case(number="S-2", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 9),
              handling_unit=units["invest"])
    return users


PAGES = ["/approvals/", "/approvals/cases/", "/approvals/cases/export.xlsx", "/approvals/items/",
         "/approvals/inspections/"]


@pytest.mark.parametrize("role", [*READS, "nounit"])
def test_every_page_opens_for_readers_and_is_a_403_for_a_person_without_a_role(client, zone, role):
    c = signed_in(client, zone[role])
    scenario = zone and Case.objects.get(number="S-2").item.scenarios.first()
    for url in [*PAGES, f"/approvals/scenarios/{scenario.pk}/"]:
        assert c.get(url).status_code == (403 if role == "nounit" else 200), url


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_and_the_api_show_exactly_the_roles_cases(client, zone, role):
    c = signed_in(client, zone[role])
    page = c.get("/approvals/cases/").content.decode()
    assert {n for n in ("S-1", "S-2") if f">{n}<" in page} == READS[role]
    assert {row["number"] for row in c.get("/api/approvals/cases/").json()["results"]} == READS[role]
    assert {r[0] for r in sheet_rows(c.get("/approvals/cases/export.xlsx"))} & {"S-1", "S-2"} == READS[role]


@pytest.mark.parametrize("role", [*READS, "nounit"])
def test_a_case_out_of_scope_is_a_404_on_page_and_api(client, zone, role):
    c = signed_in(client, zone[role])
    case = Case.objects.get(number="S-2")
    readable = "S-2" in READS.get(role, set())
    assert c.get(f"/approvals/cases/{case.pk}/").status_code == (200 if readable else 403 if role == "nounit" else 404)
    assert c.get(f"/api/approvals/cases/{case.pk}/").status_code == (200 if readable else 404)


@pytest.mark.parametrize("role", [*READS, "nounit"])
def test_only_the_approval_office_and_administrators_write(client, zone, items, role):
    c = signed_in(client, zone[role])
    body = {"number": "N-1", "item": items["open"].pk, "applicant": "新公司", "received_on": "2026-03-02",
            "accepted_on": "2026-03-02"}
    created = c.post("/api/approvals/cases/", body, content_type="application/json")
    assert created.status_code == (201 if role in WRITES else 403), created.json()
    if role in WRITES:
        assert created.json()["due_on"] == "2026-03-04"
    item = c.post("/api/approvals/items/", {"code": "Z-1", "name": "新事项", "statutory_days": 5, "promised_days": 1},
                  content_type="application/json")
    assert item.status_code == (201 if role in WRITES else 403)
    inspection = Inspection.objects.get()
    page = c.post(f"/approvals/inspections/{inspection.pk}/", {"outcome": "passed", "expected_version": 1})
    expected = 302 if role in WRITES else (404 if role in ("invest", "agri", "invest_village", "nounit") else 403)
    assert page.status_code == expected


def test_the_api_refuses_bad_dates_in_chinese_and_checks_versions(client, zone):
    c = signed_in(client, zone["approver"])
    case = Case.objects.get(number="S-2")
    url = f"/api/approvals/cases/{case.pk}/"
    bad = c.patch(url, {"accepted_on": "2026-03-10", "version": 1}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "accepted_on"
    assert "受理日期（2026-03-10）不能晚于办结日期（2026-03-09）" in bad.json()["message"]
    ok = c.patch(url, {"suspensions_text": "公示 2026-03-03至2026-03-04", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["days_accepted_decided"] == 3 and ok.json()["version"] == 2
    assert c.patch(url, {"note": "x", "version": 1}, content_type="application/json").status_code == 409


def test_the_bundle_figures_endpoint_and_the_schema(client, zone, bundle):
    c = signed_in(client, zone["leader"])
    figures = c.get(f"/api/approvals/bundles/{bundle.pk}/figures/").json()
    assert [(f["name"], f["cases"], f["on_time"]) for f in figures] == [("企业开办", 1, 0), ("不动产登记", 0, 0)]  # not delivered yet
    schema = c.get("/api/schema/").content.decode()
    assert "/api/approvals/cases/" in schema and "/api/approvals/bundles/{id}/figures/" in schema


def test_the_case_page_explains_its_clock(client, zone):
    case = Case.objects.get(number="S-2")
    text = signed_in(client, zone["leader"]).get(f"/approvals/cases/{case.pk}/").content.decode()
    assert "2026-03-07" in text and "周末" in text and "受理→办结" in text and "用时 5 个工作日" in text


@pytest.mark.parametrize("url", ["/approvals/", "/approvals/cases/", "/approvals/cases/export.xlsx",
                                 "/api/approvals/cases/", "/approvals/inspections/", "scenario"])
def test_queries_do_not_grow_with_the_number_of_cases(client, zone, make_case, units, url):
    c = signed_in(client, zone["leader"])
    if url == "scenario":
        url = f"/approvals/scenarios/{Case.objects.get(number='S-2').item.scenarios.first().pk}/"

    def add(n):
        for i in range(n):
            make_case("permit" if i % 2 else "open", received_on=D(2026, 4, 1), accepted_on=D(2026, 4, 1),
                      decided_on=D(2026, 4, 3 + i % 5), handling_unit=units["invest"] if i % 3 else None,
                      suspensions_text="公示 2026-04-02至2026-04-02" if i % 4 == 0 else "")

    add(3)
    few = queries(c, url)
    add(9)
    assert queries(c, url) == few


@pytest.mark.parametrize("role", [*READS, "nounit"])
def test_every_api_list_reads_by_role(client, zone, role):
    c = signed_in(client, zone[role])
    counts = {name: c.get(f"/api/approvals/{name}/").json()["count"]
              for name in ("items", "bundles", "scenarios", "cases", "inspections")}
    if role == "nounit":
        assert set(counts.values()) == {0}
    elif role == "agri":  # a unit with no case of its own still reads the catalogue and the targets
        assert counts == {"items": 4, "bundles": 1, "scenarios": 2, "cases": 0, "inspections": 0}
    else:
        assert (counts["items"], counts["bundles"], counts["scenarios"]) == (4, 1, 2)
        assert counts["cases"] == len(READS[role])
        assert counts["inspections"] == (1 if "S-1" in READS[role] else 0)


@pytest.mark.parametrize("role", [*READS])
def test_targets_scenarios_and_inspections_are_written_by_the_office_only(client, zone, bundle, items, role):
    c = signed_in(client, zone[role])
    made = c.post("/api/approvals/bundles/", {"code": "1330", "name": "1330", "year": 2027},
                  content_type="application/json")
    scenario = c.post("/api/approvals/scenarios/", {"bundle": bundle.pk, "name": "企业注销", "target_days": "0.5",
                                                    "start_event": "accepted", "end_event": "decided",
                                                    "items": [items["open"].pk]}, content_type="application/json")
    inspection = Inspection.objects.get()
    checked = c.patch(f"/api/approvals/inspections/{inspection.pk}/", {"outcome": "passed", "version": 1},
                      content_type="application/json")
    allowed = role in WRITES
    assert (made.status_code, scenario.status_code) == ((201, 201) if allowed else (403, 403))
    assert checked.status_code == (200 if allowed else 403 if "S-1" in READS[role] else 404)
    if allowed:
        assert scenario.json()["target_days"] == "0.5" and checked.json()["outcome"] == "passed"
