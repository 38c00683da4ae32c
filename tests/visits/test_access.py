"""Who reads and acts on visits and requests, on every page and endpoint: the 经发局, leaders and
the 督查室 read all; the visiting cadre reads what they recorded; an assigned unit reads and handles
its requests; others nothing. Out of scope is a 404, a forbidden step a 403; queries stay flat."""

import pytest

from yuanqu.visits import services
from yuanqu.visits.models import EnterpriseRequest, RequestEvent, Visit

from ..access import (
    assert_each_in_scope,
    assert_pages_open,
    assert_queries_flat,
    assert_register_shows,
    schema_paths,
)
from .conftest import D

ALL = {"R1", "R2"}
# R1: raised by the cadre on their visit, assigned to 招商局; R2: by the 经发局, assigned to 三南村.
READS = {"admin": ALL, "supervisor": ALL, "leader": ALL, "economy": ALL, "visitor": {"R1"}, "invest": {"R1"},
         "agri": {"R2"}, "village": {"R2"}, "invest_village": ALL, "nounit": set()}
VISIT_READERS = {"admin", "supervisor", "leader", "economy", "visitor"}
RECORDERS = {"admin", "economy", "visitor"}
# Who may 受理 R1 (assigned to 招商局): its unit's people and the administrator.
HANDLERS = {"admin", "invest", "invest_village"}
PAGES = ["/visits/", "/visits/requests/", "/visits/requests/export.xlsx", "/visits/stats/"]


@pytest.fixture
def world(zone, units, firms, categories):
    visit = services.visit_create(actor=zone["visitor"], data={
        "enterprise": firms[0].pk, "visited_on": D(2026, 9, 1), "visitors": "李副主任、王干部", "findings": "缺工"})
    r1 = services.request_create(actor=zone["visitor"], data={
        "visit": visit.pk, "category": categories["用工"].pk, "text": "R1 缺少技工", "assigned_unit": units["invest"]})
    r2 = services.request_create(actor=zone["economy"], data={
        "enterprise": firms[1].pk, "category": categories["用地"].pk, "text": "R2 扩建用地",
        "assigned_unit": units["village"], "received_on": D(2026, 9, 2)})
    return {"visit": visit, "R1": r1, "R2": r2}


@pytest.mark.parametrize("role", list(READS))
def test_every_page_opens_for_a_reader_and_is_a_403_for_others(client, zone, world, role):
    client.force_login(zone[role])
    assert_pages_open(client, PAGES, denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_and_the_api_show_exactly_the_roles_requests(client, zone, world, role):
    client.force_login(zone[role])
    assert_register_shows(client, page="/visits/requests/", export="/visits/requests/export.xlsx", api="/api/visits/requests/",
                          field="text", names=ALL, expected=READS[role], denied=role == "nounit")
    visits = client.get("/api/visits/visits/").json()["results"]
    assert len(visits) == (1 if role in VISIT_READERS else 0)


@pytest.mark.parametrize("role", list(READS))
def test_one_request_or_visit_out_of_scope_is_a_404_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    assert_each_in_scope(client, {n: world[n] for n in ALL}, READS[role],
                         lambda pk: (f"/api/visits/requests/{pk}/", f"/visits/requests/{pk}/"), denied=role == "nounit")
    pk = world["visit"].pk
    assert client.get(f"/api/visits/visits/{pk}/").status_code == (200 if role in VISIT_READERS else 404)
    assert client.get(f"/visits/{pk}/").status_code == (
        200 if role in VISIT_READERS else 403 if role == "nounit" else 404)


@pytest.mark.parametrize("role", list(READS))
def test_only_the_assigned_unit_accepts_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    r1 = world["R1"]
    api = client.post(f"/api/visits/requests/{r1.pk}/accept/", {}, content_type="application/json",
                      HTTP_IF_MATCH='"1"')
    expected = 200 if role in HANDLERS else 404 if "R1" not in READS[role] else 403
    assert api.status_code == expected, api.content
    if role in HANDLERS:
        assert api.json()["state"] == "accepted" and api.headers["ETag"] == '"2"'
        assert "handle" in api.json()["allowed_actions"]
        page = client.post(f"/visits/requests/{r1.pk}/handle/", {"expected_version": 2, "comment": "对接中"})
        assert page.status_code == 302
        assert EnterpriseRequest.objects.get(pk=r1.pk).state == "handling"
    else:
        page = client.post(f"/visits/requests/{r1.pk}/accept/", {"expected_version": 1})
        assert page.status_code == expected
        assert RequestEvent.objects.count() == 0


@pytest.mark.parametrize("role", list(READS))
def test_only_cadres_the_economy_bureau_and_administrators_record_visits(client, zone, world, firms, role):
    client.force_login(zone[role])
    body = {"enterprise": firms[1].pk, "visited_on": "2026-09-10", "visitors": "张干部"}
    created = client.post("/api/visits/visits/", body, content_type="application/json")
    assert created.status_code == (201 if role in RECORDERS else 403), created.content
    page = client.get("/visits/new/")
    assert page.status_code == (200 if role in RECORDERS else 403)
    if role in RECORDERS:
        assert created.json()["recorded_by"]["username"] == zone[role].username
        assert Visit.objects.visible_to(zone[role]).filter(pk=created.json()["id"]).exists()


def test_a_step_over_a_stale_version_is_a_409_and_without_one_a_400(client, zone, world):
    client.force_login(zone["invest"])
    r1 = world["R1"]
    assert client.post(f"/api/visits/requests/{r1.pk}/accept/", {"version": 1},
                       content_type="application/json").status_code == 200
    stale = client.post(f"/api/visits/requests/{r1.pk}/handle/", {"version": 1}, content_type="application/json")
    assert stale.status_code == 409 and "第2版" in stale.json()["message"]
    bare = client.post(f"/api/visits/requests/{r1.pk}/handle/", {}, content_type="application/json")
    assert bare.status_code == 400 and bare.json()["field"] == "version"


def test_api_bad_input_names_the_field_in_chinese_and_writes_nothing(client, zone, world, categories, units):
    client.force_login(zone["economy"])
    before = EnterpriseRequest.objects.count()
    unknown = client.post("/api/visits/requests/", {"enterprise": 99999, "category": categories["用工"].pk,
                                                    "text": "x", "assigned_unit": units["invest"].pk},
                          content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "enterprise"
    assert "企业“99999”不存在" in unknown.json()["message"]
    assert EnterpriseRequest.objects.count() == before
    r1 = world["R1"]
    wrong_state = client.post(f"/api/visits/requests/{r1.pk}/close/", {"version": 1}, content_type="application/json")
    assert wrong_state.status_code == 400 and wrong_state.json()["message"] == "当前状态为“待受理”，不能办结。"
    client.force_login(zone["visitor"])
    for a in ("accept", "handle", "reply"):
        services.request_step(actor=zone["invest"], request=r1, action=a, comment="已办")
    score = client.post(f"/api/visits/requests/{r1.pk}/evaluate/", {"version": 4, "satisfaction": 9},
                        content_type="application/json")
    assert score.status_code == 400 and score.json()["field"] == "satisfaction" and "满意度" in score.json()["message"]
    page = client.post(f"/visits/requests/{r1.pk}/evaluate/", {"expected_version": 4, "satisfaction": "9"})
    assert page.status_code == 400 and "满意度应为 1–5 的整数，收到“9”。" in page.content.decode()
    assert EnterpriseRequest.objects.get(pk=r1.pk).version == 4


def test_the_request_page_shows_the_timeline_and_only_the_users_buttons(client, zone, world):
    r1 = world["R1"]
    services.request_step(actor=zone["invest"], request=r1, action="accept")
    client.force_login(zone["invest"])
    html = client.get(f"/visits/requests/{r1.pk}/").content.decode()
    assert 'data-testid="step-handle"' in html and 'data-testid="step-reassign"' not in html
    assert "invest1 · 受理" in html
    client.force_login(zone["economy"])
    html = client.get(f"/visits/requests/{r1.pk}/").content.decode()
    assert 'data-testid="step-reassign"' in html and 'data-testid="step-handle"' not in html


def test_the_enterprise_page_lists_its_visits_and_requests_in_scope(client, zone, world, firms):
    client.force_login(zone["economy"])
    html = client.get(f"/enterprises/{firms[0].pk}/").content.decode()
    assert "李副主任、王干部" in html and "R1 缺少技工" in html


@pytest.mark.parametrize("url", ["/visits/", "/visits/requests/", "/visits/requests/export.xlsx", "/visits/stats/",
                                 "/api/visits/requests/", "/api/visits/visits/", "request", "api-request"])
@pytest.mark.parametrize("role", ["leader", "invest"])
def test_queries_do_not_grow_with_the_number_of_visits_and_requests(client, zone, world, units, firms, categories,
                                                                     url, role):
    client.force_login(zone[role])
    r1 = world["R1"]
    url = {"request": f"/visits/requests/{r1.pk}/", "api-request": f"/api/visits/requests/{r1.pk}/"}.get(url, url)

    def add(n):
        for i in range(n):
            visit = services.visit_create(actor=zone["visitor"], data={
                "enterprise": firms[i % 2].pk, "visited_on": D(2026, 8, 1 + i), "visitors": "王干部"})
            request = services.request_create(actor=zone["visitor"], data={
                "visit": visit.pk, "category": categories["融资"].pk, "text": f"新诉求{i}",
                "assigned_unit": units["invest" if i % 2 else "agri"]})
            for a in ("accept", "handle", "reply")[: i % 4]:
                services.request_step(actor=None, request=request, action=a, comment="已办")

    assert_queries_flat(client, url, add)


def test_the_api_is_in_the_schema_without_warnings(tmp_path):
    ours = schema_paths(tmp_path, "/api/visits/")  # generating the schema fails on any warning
    steps = {f"/api/visits/requests/{{id}}/{a}/": {"post"} for a in services.ACTIONS}
    assert ours == {"/api/visits/visits/": {"get", "post"}, "/api/visits/visits/{id}/": {"get", "patch"},
                    "/api/visits/categories/": {"get"}, "/api/visits/requests/": {"get", "post"},
                    "/api/visits/requests/{id}/": {"get"}, **steps}
