"""Who reads and acts on clean-up cases, on every page, export and endpoint: leaders, the 督查室, the
经发局 and the 生态环境 unit read all (and the last two edit); a unit reads the cases assigned to it
and records their steps; others nothing. Out of scope is a 404, a forbidden action a 403; queries
stay flat as cases and enterprises grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.cleanup import services
from yuanqu.cleanup.models import Case, CaseStep
from yuanqu.enterprises.models import Enterprise

from ..access import assert_each_in_scope, seen, sheet_text
from ..factories import code_for
from .conftest import D, figure

ALL = {"Z", "P"}
# Z is assigned to 招商局, P to 三南村 (under 农业农村局's subtree).
READS = {"admin": ALL, "supervisor": ALL, "leader": ALL, "economy": ALL, "environment": ALL, "invest": {"Z"},
         "agri": {"P"}, "village": {"P"}, "invest_village": ALL, "nounit": set()}
EDITORS = {"admin", "economy", "environment"}
CANDIDATE_READERS = {"admin", "supervisor", "leader", "economy", "environment"}
# Who records Z's steps: its unit's people and the editors.
HANDLERS = EDITORS | {"invest", "invest_village"}


@pytest.fixture
def world(zone, firms, units, confirmed):
    p = services.case_decide(actor=zone["environment"], enterprise=firms["P"], category="scattered",
                             decision="confirm", reason="排放超标", unit=units["village"], today=D(2026, 3, 2))
    step = services.step_add(actor=zone["economy"], case=confirmed, data={"title": "清产核资", "planned_on": "2026-05-01"})
    return {"Z": confirmed, "P": p, "step": step}


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_and_the_api_show_exactly_the_roles_cases(client, zone, world, role):
    client.force_login(zone[role])
    page = client.get("/cleanup/")
    assert page.status_code == (403 if role == "nounit" else 200)
    if role != "nounit":
        assert seen(page.content.decode(), ALL, " 企业") == READS[role]
        export = client.get("/cleanup/export.xlsx")
        assert export.status_code == 200 and seen(sheet_text(export), ALL, " 企业") == READS[role]
    api = client.get("/api/cleanup/cases/").json()["results"]
    assert {r["enterprise"]["name"].split()[0] for r in api} == READS[role]


@pytest.mark.parametrize("role", list(READS))
def test_one_case_out_of_scope_is_a_404_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    assert_each_in_scope(client, {n: world[n] for n in ALL}, READS[role],
                         lambda pk: (f"/api/cleanup/cases/{pk}/", f"/cleanup/{pk}/"), denied=role == "nounit")
    step = world["step"].pk
    assert client.get(f"/api/cleanup/steps/{step}/").status_code == (200 if "Z" in READS[role] else 404)


@pytest.mark.parametrize("role", list(READS))
def test_the_candidate_list_is_for_the_zone_wide_readers(client, zone, world, firms, role):
    client.force_login(zone[role])
    figure(firms["OK"], 2025, "value_added", -2, version=2)  # corrected to a loss: now a candidate
    ok = role in CANDIDATE_READERS
    page = client.get("/cleanup/candidates/")
    assert page.status_code == (200 if ok else 403)
    api = client.get("/api/cleanup/candidates/")
    assert api.status_code == (200 if ok else 403)
    export = client.get("/cleanup/candidates/export.xlsx")
    assert export.status_code == (200 if ok else 403)
    if ok:
        assert [r["enterprise"]["name"] for r in api.json()] == ["OK 企业"]
        assert "OK 企业" in page.content.decode() and "OK 企业" in sheet_text(export)
        assert ('data-testid="decide"' in page.content.decode()) is (role in EDITORS)
        assert client.get("/api/cleanup/criteria/").status_code == 200


@pytest.mark.parametrize("role", list(READS))
def test_only_the_economy_bureau_and_environment_unit_decide_and_dispose(client, zone, world, firms, role):
    client.force_login(zone[role])
    figure(firms["OK"], 2025, "value_added", -2, version=2)  # corrected to a loss: now a candidate
    body = {"enterprise": firms["OK"].pk, "category": "zombie", "decision": "confirm", "reason": "连续亏损"}
    created = client.post("/api/cleanup/cases/", body, content_type="application/json")
    assert created.status_code == (201 if role in EDITORS else 403), created.content
    z = world["Z"]
    patch = client.patch(f"/api/cleanup/cases/{z.pk}/", {"land_released_mu": "10", "version": z.version},
                         content_type="application/json")
    assert patch.status_code == (200 if role in EDITORS else 404 if "Z" not in READS[role] else 403), patch.content
    start = client.post(f"/api/cleanup/cases/{z.pk}/start/", {}, content_type="application/json",
                        HTTP_IF_MATCH=f'"{Case.objects.get(pk=z.pk).version}"')
    assert start.status_code == (200 if role in EDITORS else 404 if "Z" not in READS[role] else 403), start.content
    if role in EDITORS:
        assert start.json()["state"] == "disposing" and start.json()["land_released_mu"] == "10.00"
        assert "complete" in start.json()["allowed_actions"]
    else:
        assert Case.objects.get(pk=z.pk).state == "confirmed"


@pytest.mark.parametrize("role", list(READS))
def test_the_assigned_unit_records_its_steps_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    step = world["step"]
    api = client.patch(f"/api/cleanup/steps/{step.pk}/", {"done_on": "2026-05-03", "version": 1},
                       content_type="application/json")
    expected = 200 if role in HANDLERS else 404 if "Z" not in READS[role] else 403
    assert api.status_code == expected, api.content
    if role in HANDLERS:
        assert api.json()["late"] is True and api.headers["ETag"] == '"2"'
        page = client.post(f"/cleanup/{world['Z'].pk}/steps/{step.pk}/", {"done_on": "2026-05-02", "expected_version": 2})
        assert page.status_code == 302
        assert CaseStep.objects.get(pk=step.pk).done_on == D(2026, 5, 2)
    else:
        assert CaseStep.objects.get(pk=step.pk).done_on is None


def test_bad_input_on_the_api_names_the_field_and_writes_nothing(client, zone, world, firms):
    client.force_login(zone["economy"])
    z = world["Z"]
    no_reason = client.post("/api/cleanup/cases/", {"enterprise": firms["Z"].pk, "category": "zombie",
                                                     "decision": "dismiss", "reason": "", "year": 2024},
                            content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason" and "排除理由" in no_reason.json()["message"]
    over = client.patch(f"/api/cleanup/cases/{z.pk}/", {"land_released_mu": "60", "version": z.version},
                        content_type="application/json")
    assert over.status_code == 400 and over.json()["field"] == "land_released_mu"
    assert "超过企业用地面积" in over.json()["message"]
    early = client.post(f"/api/cleanup/cases/{z.pk}/steps/", {"title": "公告", "planned_on": "2026-04-01"},
                        content_type="application/json")
    assert early.status_code == 400 and early.json()["field"] == "planned_on" and "早于上一步" in early.json()["message"]
    stale = client.patch(f"/api/cleanup/cases/{z.pk}/", {"note": "x", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert Case.objects.get(pk=z.pk).land_released_mu is None and CaseStep.objects.count() == 1
    assert Case.objects.count() == 2


def test_the_pages_decide_dispose_and_show_late_steps_red(client, zone, world, firms):
    client.force_login(zone["economy"])
    figure(firms["OK"], 2025, "value_added", -2, version=2)  # corrected to a loss: now a candidate
    refused = client.post("/cleanup/candidates/decide/", {"enterprise": firms["OK"].pk, "category": "zombie",
                                                          "year": 2025, "decision": "confirm", "reason": ""})
    assert refused.status_code == 400 and "认定理由" in refused.content.decode()
    ok = client.post("/cleanup/candidates/decide/", {"enterprise": firms["OK"].pk, "category": "zombie",
                                                     "year": 2025, "decision": "dismiss", "reason": "已扭亏"})
    assert ok.status_code == 302 and Case.objects.get(enterprise=firms["OK"]).state == "dismissed"
    z = world["Z"]
    page = client.get(f"/cleanup/{z.pk}/").content.decode()
    assert 'data-late="1"' in page and "逾期" in page  # planned 2026-05-01, not done by 2026-09-15
    bad = client.post(f"/cleanup/{z.pk}/", {"method": "merge", "unit": z.unit_id, "land_released_mu": "99",
                                            "expected_version": z.version})
    assert bad.status_code == 400 and "超过企业用地面积" in bad.content.decode()
    good = client.post(f"/cleanup/{z.pk}/", {"method": "close", "unit": z.unit_id, "land_released_mu": "12.5",
                                             "expected_version": z.version})
    assert good.status_code == 302 and Case.objects.get(pk=z.pk).method == "close"
    start = client.post(f"/cleanup/{z.pk}/start/", {"expected_version": z.version + 1})
    assert start.status_code == 302 and Case.objects.get(pk=z.pk).state == "disposing"
    listing = client.get("/cleanup/?late=1").content.decode()
    assert seen(listing, ALL, " 企业") == {"Z"} and "逾期 1" in listing


def test_the_enterprise_page_shows_its_clean_up_cases_to_those_who_read_them(client, zone, world, firms):
    client.force_login(zone["leader"])
    page = client.get(f"/enterprises/{firms['Z'].pk}/").content.decode()
    assert 'data-testid="cleanup-cases"' in page and "僵尸企业" in page and "兼并重组" in page
    client.force_login(zone["village"])  # reads Z through its 挂钩 unit, but not Z's case (assigned to 招商局)
    page = client.get(f"/enterprises/{firms['Z'].pk}/")
    assert page.status_code == 200 and 'data-testid="cleanup-cases"' not in page.content.decode()


def _grow(zone, units, n: int, start: int) -> None:
    for i in range(start, start + n):
        e = Enterprise.objects.create(name=f"增长企业{i}", credit_code=code_for(100 + i), land_mu=Decimal(20),
                                      registered_on=D(2015, 1, 1))
        figure(e, 2024, "value_added", -1)
        figure(e, 2025, "value_added", -1)
        if i % 2:
            case = services.case_decide(actor=zone["economy"], enterprise=e, category="zombie", decision="confirm",
                                        reason="亏损", unit=units["invest"], today=D(2026, 3, 1))
            services.step_add(actor=zone["economy"], case=case, data={"title": "清产核资", "planned_on": "2026-05-01"})


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/cleanup/", "/cleanup/export.xlsx", "/api/cleanup/cases/", "/cleanup/candidates/",
                                 "/cleanup/candidates/export.xlsx", "/api/cleanup/candidates/?show=all"])
def test_queries_stay_flat_as_cases_and_enterprises_grow(client, zone, world, units, url):
    client.force_login(zone["economy"])
    _grow(zone, units, 4, 0)
    small = _count(client, url)
    _grow(zone, units, 8, 4)
    assert _count(client, url) == small
