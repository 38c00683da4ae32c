"""The command centre's own pages for the category tree, the routing rules, the time limits and the
grids: only `grid.manage` (the centre, the administrator) opens them; every save goes through the
services with its Chinese refusal on the field; a removal keeps its history; lists stay flat in
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.models import ChangeRecord
from yuanqu.grid import services
from yuanqu.grid.models import EventCategory, Grid, RoutingRule, SlaRule

ROLES = ["admin", "centre", "supervisor", "leader", "worker", "build", "village", "nounit"]
MANAGERS = {"admin", "centre"}


@pytest.fixture
def urls(grids, rules):
    rule = RoutingRule.objects.first()
    limit = SlaRule.objects.first()
    category = EventCategory.objects.get(code="road")
    g1 = grids["G1"].pk
    return ["/grid/settings/categories/", "/grid/settings/routing/", "/grid/settings/limits/",
            "/grid/settings/categories/new/", f"/grid/settings/categories/{category.pk}/",
            "/grid/settings/routing/new/", f"/grid/settings/routing/{rule.pk}/",
            "/grid/settings/limits/new/", f"/grid/settings/limits/{limit.pk}/", "/grid/grids/new/",
            f"/grid/grids/{g1}/edit/"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_centre_and_the_administrator_open_the_configuration(client, zone, urls, role):
    client.force_login(zone[role])
    for url in urls:
        assert client.get(url).status_code == (200 if role in MANAGERS else 403), url
    rule = RoutingRule.objects.first()
    response = client.post(f"/grid/settings/routing/{rule.pk}/delete/")
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert RoutingRule.objects.filter(pk=rule.pk).exists() == (role not in MANAGERS)
    # The tab shows only to those who may use it.
    assert ('href="/grid/settings/categories/"' in client.get("/grid/grids/").content.decode()) == (
        role in MANAGERS)


def test_a_rule_added_on_the_page_routes_and_a_second_for_the_same_place_is_refused(client, zone, grids, cats,
                                                                                    more_units):
    client.force_login(zone["centre"])
    body = {"category": cats["fire"].pk, "grid": grids["G1"].pk, "unit": more_units["build"].pk,
            "co_units": [more_units["invest"].pk]}
    assert client.post("/grid/settings/routing/new/", body).status_code == 302
    rule = services.route(cats["fire"], grids["G1"])
    assert rule.unit == more_units["build"] and list(rule.co_units.all()) == [more_units["invest"]]
    again = client.post("/grid/settings/routing/new/", {**body, "unit": more_units["agri"].pk})
    html = again.content.decode()
    assert again.status_code == 400 and "“消防隐患”在“三南村第一网格”已有分拨规则，请修改那一条。" in html
    assert RoutingRule.objects.count() == 1
    # Everywhere is a place of its own: one rule for all grids, then a second refused.
    assert client.post("/grid/settings/routing/new/", {"category": cats["fire"].pk, "unit": more_units["agri"].pk}
                       ).status_code == 302
    refused = client.post("/grid/settings/routing/new/", {"category": cats["fire"].pk, "unit": more_units["build"].pk})
    assert refused.status_code == 400 and "“消防隐患”在全部网格已有分拨规则" in refused.content.decode()
    listed = client.get("/grid/settings/routing/").content.decode()
    assert "三南村第一网格" in listed and "全部网格" in listed and "招商局" in listed


def test_a_negative_list_matter_cannot_be_routed_to_a_village_on_the_page(client, zone, grids, cats, more_units):
    client.force_login(zone["centre"])
    response = client.post("/grid/settings/routing/new/", {"category": cats["crime"].pk, "unit": more_units["village"].pk})
    assert response.status_code == 400 and "属于网格事项负面清单" in response.content.decode()
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-3", "两天"])
def test_a_limit_of_zero_or_less_or_not_a_number_is_refused_in_chinese(client, zone, cats, amount):
    client.force_login(zone["centre"])
    before = SlaRule.objects.count()
    response = client.post("/grid/settings/limits/new/", {"category": cats["fire"].pk, "severity": "", "stage": "resolve",
                                                          "amount": amount, "day_type": "hours"})
    assert response.status_code == 400 and f"时限应为大于0的整数，收到“{amount}”。" in response.content.decode()
    assert SlaRule.objects.count() == before


def test_limits_are_added_edited_and_removed_with_their_history(client, zone, cats):
    client.force_login(zone["centre"])
    body = {"category": cats["fire"].pk, "severity": "critical", "stage": "resolve", "amount": "12", "day_type": "hours"}
    assert client.post("/grid/settings/limits/new/", body).status_code == 302
    limit = SlaRule.objects.get(category=cats["fire"], severity="critical", stage="resolve")
    duplicate = client.post("/grid/settings/limits/new/", body)
    assert duplicate.status_code == 400 and "消防隐患（重大）的处置反馈时限已有一条" in duplicate.content.decode()
    # The shipped rule for all categories cannot be doubled either (NULL is no escape).
    twin = client.post("/grid/settings/limits/new/", {"stage": "sign", "severity": "", "amount": "5", "day_type": "working"})
    assert twin.status_code == 400 and "全部类别（任何程度）的签收时限已有一条" in twin.content.decode()
    edited = client.post(f"/grid/settings/limits/{limit.pk}/", {**body, "amount": "8", "expected_version": limit.version})
    assert edited.status_code == 302 and SlaRule.objects.get(pk=limit.pk).amount == 8
    stale = client.post(f"/grid/settings/limits/{limit.pk}/", {**body, "amount": "6", "expected_version": limit.version})
    assert stale.status_code == 400 and SlaRule.objects.get(pk=limit.pk).amount == 8
    assert client.post(f"/grid/settings/limits/{limit.pk}/delete/").status_code == 302
    assert not SlaRule.objects.filter(pk=limit.pk).exists()
    records = ChangeRecord.objects.filter(content_type__model="slarule", object_id=limit.pk)
    assert sorted(records.values_list("action", flat=True)) == sorted(["create", "update", "delete"])
    page = client.get("/grid/settings/limits/").content.decode()
    assert "删除" in page.split('data-testid="history"')[1] and "12" in page.split('data-testid="history"')[1]


def test_a_category_switched_off_on_its_page_is_no_longer_offered_for_reporting(client, zone, grids, cats):
    client.force_login(zone["centre"])
    road = cats["road"]
    body = {"code": "road", "name": "道路设施损坏", "parent": road.parent_id, "order": 1, "expected_version": road.version}
    assert client.post(f"/grid/settings/categories/{road.pk}/", body).status_code == 302  # is_active unticked
    assert not EventCategory.objects.get(pk=road.pk).is_active
    client.force_login(zone["worker"])
    assert f'value="{road.pk}"' not in client.get("/grid/m/report/").content.decode()
    client.force_login(zone["centre"])
    page = client.get(f"/grid/settings/categories/{road.pk}/").content.decode()
    assert "启用：是 → 否" in page
    new = client.post("/grid/settings/categories/new/", {"code": "noise", "name": "噪声扰民", "parent": cats["environment"].pk,
                                                         "is_active": "on"})
    assert new.status_code == 302
    noise = EventCategory.objects.get(code="noise")
    assert noise.path.startswith(cats["environment"].path)
    loop = client.post(f"/grid/settings/categories/{cats['environment'].pk}/", {
        "code": "environment", "name": "环境保护", "parent": noise.pk, "is_active": "on",
        "expected_version": cats["environment"].version})
    assert loop.status_code == 400 and "上级类别不能是该类别本身或其下级类别" in loop.content.decode()


def test_a_grid_is_edited_on_its_page_and_its_new_worker_reports_in_it(client, zone, grids, cats, more_units):
    g2 = grids["G2"]
    client.force_login(zone["centre"])
    assert 'data-testid="grid-edit"' in client.get(f"/grid/grids/{g2.pk}/").content.decode()
    body = {"code": "SN-02", "name": "三南村第二网格", "unit": more_units["village"].pk, "kind": "comprehensive",
            "households": "410", "population": "1230", "leader": zone["worker2"].pk,
            "workers": [zone["worker2"].pk, zone["worker"].pk], "is_active": "on", "expected_version": g2.version}
    assert client.post(f"/grid/grids/{g2.pk}/edit/", body).status_code == 302
    g2 = Grid.objects.get(pk=g2.pk)
    assert (g2.households, g2.population, g2.leader) == (410, 1230, zone["worker2"])
    assert set(g2.workers.all()) == {zone["worker"], zone["worker2"]}
    html = client.get(f"/grid/grids/{g2.pk}/").content.decode()
    assert "户数：0 → 410" in html
    bad = client.post(f"/grid/grids/{g2.pk}/edit/", {**body, "households": "很多", "expected_version": g2.version})
    assert bad.status_code == 400 and "户数“很多”不是整数。" in bad.content.decode()
    wrong = client.post("/grid/grids/new/", {**body, "code": "X-1", "unit": more_units["build"].pk})
    assert wrong.status_code == 400 and not Grid.objects.filter(code="X-1").exists()
    event = services.event_create(actor=zone["worker"], data={"grid": g2.pk, "category": cats["road"].pk,
                                                              "description": "新网格员上报"})
    assert event.grid == g2
    client.force_login(zone["worker"])
    assert 'data-testid="grid-edit"' not in client.get(f"/grid/grids/{grids['G1'].pk}/").content.decode()


@pytest.mark.parametrize("kind", ["categories", "routing", "limits"])
def test_the_lists_do_not_grow_their_queries_with_the_rules(client, zone, grids, cats, more_units, kind):
    client.force_login(zone["centre"])
    units = [more_units[k] for k in ("build", "invest", "agri")]

    def add(start, n):
        for i in range(start, start + n):
            category = services.category_save(actor=zone["centre"], category=None, data={
                "code": f"c{i}", "name": f"类别{i}", "parent": cats["city"]})
            services.routing_rule_save(actor=zone["centre"], rule=None, data={
                "category": category, "unit": units[i % 3], "co_units": [units[(i + 1) % 3]]})
            services.sla_rule_save(actor=zone["centre"], rule=None, data={
                "category": category, "stage": "resolve", "amount": i + 1, "day_type": "working"})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/grid/settings/{kind}/").status_code == 200
        return len(ctx)

    add(0, 2)
    few = count()
    add(2, 6)
    assert count() == few
