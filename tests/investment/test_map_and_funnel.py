"""招商地图 and the funnel/ranking page: counts by region and stage, scoped like the list, links to
the lists behind them, a role matrix and flat query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yuanqu.investment import selectors, services
from yuanqu.investment.filters import filter_leads
from yuanqu.investment.models import Lead, LeadEvent, Stage, TargetCompany
from yuanqu.investment.regions import FULL

from .test_scope import READS

MAP = reverse("investment:region_map")
FUNNEL = reverse("investment:lead_funnel")


@pytest.fixture
def spread(make_lead):
    """Leads from 广东 (three, one written “广东”/“深圳”), 上海, abroad; the village's from 浙江."""
    return [
        make_lead("深圳项目", source_province="广东", source_city="深圳", amount_text="2亿元", stage=Stage.SIGNED),
        make_lead("广州项目", source_province="广东省", source_city="广州市", amount_text="5000万元"),
        make_lead("深圳二期", source_province="广东省", source_city="深圳市", amount_text="100万美元"),
        make_lead("上海项目", source_province="上海", amount_text="1亿元", stage=Stage.VISIT),
        make_lead("新加坡项目", source_city="新加坡"),
        make_lead("宁波项目", unit="village", source_province="浙江", source_city="宁波"),
    ]


def test_provinces_are_counted_as_one_whatever_was_typed(users, spread):
    regions = {r["name"]: r for r in selectors.region_counts(filter_leads(users["admin"], {})[1], "source")}
    assert {k: v["count"] for k, v in regions.items()} == {"广东省": 3, "上海市": 1, "浙江省": 1, "": 1}
    assert regions["广东省"]["amount"] == 2.5  # 2亿元 + 5000万元; the dollars are not converted
    cities = selectors.region_counts(filter_leads(users["admin"], {})[1], "source", "广东省")
    assert [(c["name"], c["count"]) for c in cities] == [("深圳市", 2), ("广州市", 1)]


def test_the_map_shows_a_reporter_only_their_units_leads(client, users, spread):
    client.force_login(users["invest"])
    data = client.get(MAP).context["data"]
    assert {r["name"]: r["value"] for r in data["regions"]} == {"广东": 3, "上海": 1}
    assert data["geo"] == "/static/vendor/china-geojson/china.json"
    client.force_login(users["leader"])
    assert {r["name"] for r in client.get(MAP).context["data"]["regions"]} == {"广东", "上海", "浙江"}


def test_a_region_links_to_the_filtered_list_and_the_list_shows_just_it(client, users, spread):
    client.force_login(users["leader"])
    page = client.get(MAP, {"stage": "info"})
    guangdong = next(r for r in page.context["data"]["regions"] if r["name"] == "广东")
    assert guangdong["value"] == 2 and guangdong["url"] == reverse("investment:lead_list") + \
        "?stage=info&province=%E5%B9%BF%E4%B8%9C%E7%9C%81"
    listing = client.get(guangdong["url"]).content.decode()
    assert "广州项目" in listing and "深圳二期" in listing and "深圳项目" not in listing and "上海项目" not in listing
    assert "地区：广东省" in listing
    # One province by city: its file, the cities, a city's list.
    city_page = client.get(MAP, {"province": "广东"})
    data = city_page.context["data"]
    assert data["geo"] == "/static/vendor/china-geojson/guang_dong_geo.json" and data["level"] == "city"
    shenzhen = next(r for r in data["regions"] if r["name"] == "深圳市")
    listing = client.get(shenzhen["url"]).content.decode()
    assert "深圳项目" in listing and "深圳二期" in listing and "广州项目" not in listing
    assert client.get(reverse("investment:lead_list"), {"province": "广东", "city": "深圳"}).context["page"] \
        .paginator.count == 2
    # A NUL in a place (PostgreSQL's text cannot hold one) is dropped, not a 500, on the page and the API.
    assert client.get(reverse("investment:lead_list"), {"province": "广东", "city": "深\x00圳"}).context["page"] \
        .paginator.count == 2
    assert client.get("/api/investment/leads/", {"city": "\x00深圳"}).json()["count"] == 2
    # The API takes the page's place and node filters, and declares them.
    assert client.get("/api/investment/leads/", {"province": "广东", "city": "深圳市"}).json()["count"] == 2
    declared = {p["name"] for p in client.get("/api/schema/", {"format": "json"}).json()
                ["paths"]["/api/investment/leads/"]["get"]["parameters"]}
    assert {"province", "city", "node"} <= declared


def test_the_company_map_counts_headquarters_and_links_to_the_library(client, users):
    services.company_create(actor=None, data={"name": "甲集团", "kind": "central", "hq_province": "北京"})
    services.company_create(actor=None, data={"name": "乙公司", "kind": "private", "hq_province": "江苏",
                                              "hq_city": "苏州"})
    services.company_create(actor=None, data={"name": "丙公司", "kind": "global", "hq_city": "赫尔辛基"})
    client.force_login(users["village"])
    page = client.get(MAP, {"show": "companies"})
    regions = {r["name"]: r for r in page.context["data"]["regions"]}
    assert set(regions) == {"北京", "江苏"} and page.context["unplaced"] == 1
    listing = client.get(regions["江苏"]["url"]).content.decode()
    assert "乙公司" in listing and "甲集团" not in listing


# role → may it open the lead map, the funnel; the company map
MATRIX = {role: (True, True) for role in READS} | {"nounit": (False, False)}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_the_new_pages_follow_the_role_matrix(client, users, spread, role):
    leads, companies = MATRIX[role]
    client.force_login(users[role])
    for url in (MAP, FUNNEL):
        response = client.get(url)
        assert response.status_code == (200 if leads else 403), url
    assert client.get(MAP, {"show": "companies"}).status_code == (200 if companies else 403)
    if leads:
        total = sum(r["value"] for r in client.get(MAP).context["data"]["regions"])
        expected = sum(1 for lead in spread if lead.source_province
                       and ("invest" if lead.unit.name == "招商局" else "village") in READS[role])
        assert total == expected


def _sign_on(lead, day):
    LeadEvent.objects.filter(lead=lead, action=LeadEvent.Action.SIGN).update(
        time=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))


def test_the_funnel_counts_leads_reaching_each_stage_and_terminated_ones_where_they_stopped(client, users,
                                                                                           make_lead):
    make_lead("甲", stage=Stage.INFO, amount_text="1亿元")
    make_lead("乙", stage=Stage.VISIT, amount_text="2亿元")
    make_lead("丙", stage=Stage.SIGNED, amount_text="3亿元")
    stopped = make_lead("丁", stage=Stage.NEGOTIATE, amount_text="4亿元")
    services.lead_transition(actor=None, lead=stopped, action="terminate", comment="放弃")
    stages, terminated = selectors.funnel(Lead.objects.all())
    assert [(s["label"], s["reached"], s["now"]) for s in stages] == [
        ("信息", 4, 1), ("接触", 3, 0), ("考察", 3, 1), ("洽谈", 2, 0), ("签约", 1, 1)]
    assert [s["amount"] for s in stages] == [10.0, 9.0, 9.0, 7.0, 3.0]
    assert [s["rate"] for s in stages] == [None, 75.0, 100.0, 66.7, 50.0]
    assert terminated == {"count": 1, "amount": 4.0}
    client.force_login(users["leader"])
    page = client.get(FUNNEL, {"year": "all"})
    assert [s["value"] for s in page.context["chart"]["stages"]] == [4, 3, 3, 2, 1]
    assert page.context["chart"]["stages"][4]["url"] == reverse("investment:lead_list") + "?stage=signed"
    # Leads registered in another year are not in this year's funnel.
    Lead.objects.update(created_at=timezone.now() - dt.timedelta(days=800))
    assert [s["value"] for s in client.get(FUNNEL).context["chart"]["stages"]] == [0, 0, 0, 0, 0]


def test_the_ranking_orders_units_by_signed_in_the_year_then_amount_and_counts_open_leads(users, make_lead):
    a = make_lead("甲", stage=Stage.SIGNED, amount_text="1亿元")
    b = make_lead("乙", unit="village", stage=Stage.SIGNED, amount_text="5亿元")
    c = make_lead("丙", unit="village", stage=Stage.SIGNED, amount_text="9亿元")
    make_lead("丁", stage=Stage.CONTACT)
    make_lead("戊", stage=Stage.INFO)
    _sign_on(a, dt.date(2026, 3, 1))
    _sign_on(b, dt.date(2026, 5, 1))
    _sign_on(c, dt.date(2025, 12, 30))  # another year
    ranking = selectors.unit_ranking(Lead.objects.all(), 2026)
    assert [(r["name"], r["signed"], r["amount"], r["open"]) for r in ranking] == [
        ("三南村", 1, 5.0, 0), ("招商局", 1, 1.0, 2)]
    everything = selectors.unit_ranking(Lead.objects.all(), None)
    assert [(r["name"], r["signed"], r["amount"]) for r in everything] == [("三南村", 2, 14.0), ("招商局", 1, 1.0)]


def test_the_new_pages_read_a_fixed_number_of_queries(client, users, make_lead):
    def count(url, params=None) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params or {}).status_code == 200
        return len(queries)

    client.force_login(users["leader"])
    make_lead("项目0", source_province="广东", source_city="深圳", stage=Stage.SIGNED)
    services.company_create(actor=None, data={"name": "企业0", "kind": "private", "hq_province": "江苏"})
    urls = [(MAP, None), (MAP, {"province": "广东"}), (MAP, {"show": "companies"}), (FUNNEL, None),
            (FUNNEL, {"year": "all"})]
    few = [count(u, p) for u, p in urls]
    provinces = ["浙江", "山东", "四川", "湖北", "福建", "江苏", "北京", "天津"]
    for i, province in enumerate(provinces, start=1):
        make_lead(f"项目{i}", unit="village" if i % 2 else "invest", source_province=province,
                  source_city="某市", stage=[Stage.INFO, Stage.VISIT, Stage.SIGNED, Stage.TERMINATED][i % 4])
        TargetCompany.objects.create(name=f"企业{i}", kind="private", hq_province=FULL[province])
    assert [count(u, p) for u, p in urls] == few


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_the_api_gives_the_same_figures_scoped_like_the_pages(client_as, users, spread, role):
    api = client_as(role)
    regions = api.get("/api/investment/leads/regions/")
    funnel = api.get("/api/investment/leads/funnel/", {"year": "all"})
    if not MATRIX[role][0]:
        assert (regions.status_code, funnel.status_code) == (200, 200)
        assert regions.json() == [] and funnel.json()["stages"][0]["reached"] == 0  # nothing in scope
        return
    counts = {r["name"]: r["count"] for r in regions.json()}
    expected = {}
    for lead in spread:
        if ("invest" if lead.unit.name == "招商局" else "village") in READS[role]:
            expected[lead.source_province] = expected.get(lead.source_province, 0) + 1
    assert counts == expected
    body = funnel.json()
    assert body["year"] is None and body["stages"][0]["reached"] == sum(expected.values())
    assert {r["name"] for r in body["ranking"]} <= {"招商局", "三南村"}
    cities = api.get("/api/investment/leads/regions/", {"province": "广东"}).json()
    if "invest" in READS[role]:
        assert {c["name"]: c["count"] for c in cities} == {"深圳市": 2, "广州市": 1}


def test_anonymous_callers_get_no_figures(client_as, spread):
    assert client_as("anonymous").get("/api/investment/leads/regions/").status_code in (401, 403)
