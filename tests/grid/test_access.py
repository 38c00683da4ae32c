"""Who reads and acts on grid events, on every page, export and endpoint: leaders, the 督查室 and
the command centre read all; a unit reads what is routed to it (lead or co-unit); a grid worker
reads their grid's events; others nothing. Out of scope is a 404, a forbidden step a 403; the
queries stay flat as events grow."""

import pytest

from yuanqu.grid import services
from yuanqu.grid.models import EventStep, GridEvent

from ..access import (
    assert_each_in_scope,
    assert_pages_open,
    assert_queries_flat,
    assert_register_shows,
    schema_paths,
)
from .conftest import walk

ALL = {"E1", "E2", "E3"}
# E1: 道路 in 第一网格 → 建设局 with 招商局 assisting; E2: 垃圾 in 第二网格 → 三南村 itself; E3: reported, in 紫郡社区.
READS = {"admin": ALL, "supervisor": ALL, "leader": ALL, "centre": ALL, "worker": {"E1"}, "worker2": {"E2"},
         "build": {"E1"}, "invest": {"E1"}, "agri": {"E2"}, "village": {"E2"}, "invest_village": {"E1", "E2"},
         "nounit": set()}
PAGES = ["/grid/", "/grid/export.xlsx", "/grid/stats/", "/grid/grids/", "/grid/m/"]
SIGNERS = {"admin", "build"}  # E1 is 建设局's to sign: a co-unit assists, it does not sign
REPORTERS_G1 = {"admin", "centre", "worker"}


@pytest.fixture
def world(zone, grids, rules, make_event, more_units):
    e1 = make_event(description="E1 路面塌陷")
    services.event_step(actor=zone["centre"], event=e1, action="accept")
    services.event_step(actor=zone["centre"], event=e1, action="dispatch", unit=more_units["build"].pk,
                        co_units=[more_units["invest"].pk])
    e2 = make_event(grid="G2", category="garbage", actor=zone["worker2"], description="E2 垃圾堆放")
    walk(e2, ["accept", "dispatch"], zone["centre"])
    e3 = make_event(grid="G3", category="dispute", actor=zone["centre"], description="E3 邻里纠纷")
    return {"E1": GridEvent.objects.get(pk=e1.pk), "E2": GridEvent.objects.get(pk=e2.pk), "E3": e3}


@pytest.mark.parametrize("role", list(READS))
def test_every_page_opens_for_a_reader_and_is_a_403_for_others(client, zone, world, role):
    client.force_login(zone[role])
    assert_pages_open(client, PAGES, denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_the_list_the_export_the_phone_page_and_the_api_show_exactly_the_roles_events(client, zone, world, role):
    client.force_login(zone[role])
    assert_register_shows(client, page="/grid/", export="/grid/export.xlsx", api="/api/grid/events/",
                          field="description", names=ALL, expected=READS[role], denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_one_event_out_of_scope_is_a_404_on_page_phone_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    assert_each_in_scope(client, {n: world[n] for n in ALL}, READS[role],
                         lambda pk: (f"/api/grid/events/{pk}/", f"/grid/events/{pk}/", f"/grid/m/{pk}/"), denied=role == "nounit")


@pytest.mark.parametrize("role", list(READS))
def test_only_the_handling_unit_signs_on_page_and_api(client, zone, world, role):
    client.force_login(zone[role])
    e1 = world["E1"]
    api = client.post(f"/api/grid/events/{e1.pk}/sign/", {}, content_type="application/json",
                      HTTP_IF_MATCH=f'"{e1.version}"')
    expected = 200 if role in SIGNERS else 404 if "E1" not in READS[role] else 403
    assert api.status_code == expected, api.content
    if role in SIGNERS:
        assert api.json()["state"] == "signed" and "handle" in api.json()["allowed_actions"]
        page = client.post(f"/grid/events/{e1.pk}/handle/", {"expected_version": e1.version + 1, "comment": "封闭施工"})
        assert page.status_code == 302 and GridEvent.objects.get(pk=e1.pk).state == "handling"
    else:
        page = client.post(f"/grid/events/{e1.pk}/sign/", {"expected_version": e1.version})
        assert page.status_code == expected
        assert not EventStep.objects.filter(grid_event=e1, action="sign").exists()


@pytest.mark.parametrize("role", list(READS))
def test_grid_workers_report_in_their_own_grid_and_the_centre_anywhere(client, zone, world, grids, cats, role):
    client.force_login(zone[role])
    before = GridEvent.objects.count()
    body = {"grid": grids["G1"].pk, "category": cats["fire"].pk, "description": "楼道堆放杂物"}
    created = client.post("/api/grid/events/", body, content_type="application/json")
    if role in REPORTERS_G1:
        assert created.status_code == 201, created.content
        assert created.json()["reported_by"]["username"] == zone[role].username
        assert created.json()["number"].startswith("WG2026")
    elif role == "worker2":  # a grid worker, but of another grid
        assert created.status_code == 400 and created.json()["field"] == "grid"
        assert "只能在本人负责的网格上报" in created.json()["message"]
    else:
        assert created.status_code == 403
    assert GridEvent.objects.count() == before + (role in REPORTERS_G1)


def test_the_event_page_shows_the_timeline_and_only_the_users_buttons(client, zone, world):
    e1 = world["E1"]
    client.force_login(zone["build"])
    html = client.get(f"/grid/events/{e1.pk}/").content.decode()
    assert 'data-testid="step-sign"' in html and 'data-testid="step-return"' in html
    assert 'data-testid="step-close"' not in html and "centre1 · 分拨：分拨至建设局，协办：招商局" in html
    client.force_login(zone["invest"])  # the co-unit reads, and has no step to take
    html = client.get(f"/grid/events/{e1.pk}/").content.decode()
    assert "E1 路面塌陷" in html and 'data-testid="step-' not in html


def test_a_step_over_a_stale_version_is_a_409_and_without_one_a_400(client, zone, world):
    client.force_login(zone["build"])
    e1 = world["E1"]
    assert client.post(f"/api/grid/events/{e1.pk}/sign/", {"version": e1.version},
                       content_type="application/json").status_code == 200
    stale = client.post(f"/api/grid/events/{e1.pk}/handle/", {"version": e1.version}, content_type="application/json")
    assert stale.status_code == 409 and f"第{e1.version + 1}版" in stale.json()["message"]
    bare = client.post(f"/api/grid/events/{e1.pk}/handle/", {}, content_type="application/json")
    assert bare.status_code == 400 and bare.json()["field"] == "version"


def test_a_step_out_of_order_says_so_in_chinese_and_writes_nothing(client, zone, world):
    client.force_login(zone["centre"])
    e1 = world["E1"]
    api = client.post(f"/api/grid/events/{e1.pk}/close/", {"version": e1.version}, content_type="application/json")
    assert api.status_code == 400 and api.json()["message"] == "当前状态为“待签收”，不能结案。"
    assert api.json()["field"] == "state"
    page = client.post(f"/grid/events/{e1.pk}/close/", {"expected_version": e1.version})
    assert page.status_code == 400 and "当前状态为“待签收”，不能结案。" in page.content.decode()
    assert GridEvent.objects.get(pk=e1.pk).version == e1.version


@pytest.mark.parametrize("url", ["/grid/", "/grid/export.xlsx", "/grid/stats/", "/grid/grids/", "/grid/m/", "/cockpit/",
                                 "event", "phone-event", "/api/grid/events/", "api-event", "/api/grid/grids/"])
@pytest.mark.parametrize("role", ["leader", "worker"])
def test_queries_do_not_grow_with_the_number_of_events(client, zone, world, make_event, more_units, url, role):
    if url == "/cockpit/" and role == "worker":
        return  # the cockpit is for leaders
    client.force_login(zone[role])
    e1 = world["E1"]
    url = {"event": f"/grid/events/{e1.pk}/", "phone-event": f"/grid/m/{e1.pk}/",
           "api-event": f"/api/grid/events/{e1.pk}/"}.get(url, url)

    def add(n):
        for i in range(n):
            event = make_event(description=f"新事件{i}", category=("road", "garbage", "fire")[i % 3])
            steps = ["accept", "dispatch", "sign", "handle", "feedback"][: i % 6]
            walk(event, steps, None, dispatch={"unit": more_units["build" if i % 2 else "village"].pk},
                 feedback={"comment": "已处置"})

    assert_queries_flat(client, url, add)


def test_the_api_is_in_the_schema_without_warnings(tmp_path):
    ours = schema_paths(tmp_path, "/api/grid/")  # generating the schema fails on any warning
    steps = {f"/api/grid/events/{{id}}/{a}/": {"post"} for a in services.ACTIONS}
    assert ours == {"/api/grid/grids/": {"get"}, "/api/grid/grids/{id}/": {"get"}, "/api/grid/categories/": {"get"},
                    "/api/grid/events/": {"get", "post"}, "/api/grid/events/{id}/": {"get"}, **steps}
