"""Who reads and enters what, on the pages: a role matrix; exports; query counts stay flat."""

import io

import pytest
from python_calamine import CalamineWorkbook

from yuanqu.indicators import services
from yuanqu.indicators.models import IndicatorCount
from yuanqu.org.models import OrgUnit

from ..access import queries

# role → the indicators its list shows. 农业农村局 reads every indicator because the shared test
# tree puts 三和片区/三南村 under it (it counts for a village); it owns 持证农民比例.
LISTS = {"admin": {"参保率", "持证农民比例"}, "supervisor": {"参保率", "持证农民比例"},
         "leader": {"参保率", "持证农民比例"}, "shsy": {"参保率"}, "agri": {"参保率", "持证农民比例"},
         "e1": {"参保率", "持证农民比例"}, "eastarea": {"参保率", "持证农民比例"}, "invest": set()}
# role → the village rows of 参保率's page
ROWS = {"admin": {"东一村", "东二村", "西湖社区"}, "supervisor": {"东一村", "东二村", "西湖社区"},
        "leader": {"东一村", "东二村", "西湖社区"}, "shsy": {"东一村", "东二村", "西湖社区"},
        "e1": {"东一村"}, "eastarea": {"东一村", "东二村"}, "agri": set(), "invest": None}
ENTERS = {"admin": 200, "supervisor": 403, "leader": 403, "shsy": 200, "agri": 200, "e1": 200, "eastarea": 200,
          "invest": 404, "nounit": 403}


@pytest.fixture
def zone(people, places, insured, certified):
    for unit, values in (("e1", [90, 100]), ("e2", [50, 100]), ("w1", [0, 0])):
        services.count_enter(actor=None, definition=insured, unit=places[unit], period="2026", values=values)
    services.count_enter(actor=None, definition=certified, unit=places["e1"], period="2026", values=[5, 10])
    return people


def _names(html: str, candidates) -> set[str]:
    return {n for n in candidates if f">{n}<" in html}


@pytest.mark.parametrize("role", [*LISTS, "nounit"])
def test_the_list_shows_the_roles_indicators(client, zone, role):
    client.force_login(zone[role])
    page = client.get("/indicators/")
    if role == "nounit":
        assert page.status_code == 403
        return
    assert page.status_code == 200
    assert _names(page.content.decode(), {"参保率", "持证农民比例"}) == LISTS[role]


@pytest.mark.parametrize("role", list(ROWS))
def test_the_indicator_page_shows_the_village_rows_the_role_reads(client, zone, insured, role):
    client.force_login(zone[role])
    page = client.get(f"/indicators/{insured.pk}/")
    if ROWS[role] is None:
        assert page.status_code == 404
        return
    html = page.content.decode()
    assert page.status_code == 200
    assert _names(html, {"东一村", "东二村", "西湖社区"}) == ROWS[role]
    # the zone and 片区 roll-ups are the same figure for everyone who sees the page: (90+50)/(100+100)
    assert "70</td>" in html.split("<strong>园区</strong>")[1].split("</tr>")[0]


@pytest.mark.parametrize("role", list(ENTERS))
def test_who_opens_the_counts_form(client, zone, insured, role):
    client.force_login(zone[role])
    assert client.get(f"/indicators/{insured.pk}/counts/new/").status_code == ENTERS[role]


def test_the_form_saves_a_revision_and_shows_a_refusal_on_the_variables_field(client, zone, insured, places):
    client.force_login(zone["e1"])
    url = f"/indicators/{insured.pk}/counts/new/"
    bad = client.post(url, {"unit": places["e1"].pk, "period": "2026", "var_0": "120", "var_1": "100"})
    assert bad.status_code == 200
    assert "不能大于应参保人数" in str(bad.context["form"].errors["var_0"])
    other = client.post(url, {"unit": places["e2"].pk, "period": "2026", "var_0": "1", "var_1": "2"})
    assert "unit" in other.context["form"].errors  # not a choice: another village
    ok = client.post(url, {"unit": places["e1"].pk, "period": "2026年", "var_0": "95", "var_1": "100"})
    assert ok.status_code == 302
    assert IndicatorCount.objects.get(unit=places["e1"], definition=insured, is_current=True).revision == 2


@pytest.mark.parametrize(("role", "status"), [("leader", 200), ("e1", 200), ("eastarea", 200), ("shsy", 200),
                                              ("invest", 403), ("nounit", 403)])
def test_the_village_page(client, zone, places, role, status):
    client.force_login(zone[role])
    page = client.get(f"/indicators/villages/{places['e1'].pk}/")
    assert page.status_code == status
    if status == 200:
        html = page.content.decode()
        shown = _names(html, {"参保率", "持证农民比例"})
        assert shown == ({"参保率"} if role == "shsy" else {"参保率", "持证农民比例"})


def test_the_village_page_of_another_village_is_refused_and_a_片区_is_no_village(client, zone, places):
    client.force_login(zone["e1"])
    assert client.get(f"/indicators/villages/{places['e2'].pk}/").status_code == 403
    assert client.get(f"/indicators/villages/{places['east'].pk}/").status_code == 404


def test_only_the_owner_revises_the_caliber(client, zone, insured):
    for role, status in (("shsy", 200), ("agri", 403), ("leader", 403), ("e1", 403)):
        client.force_login(zone[role])
        assert client.get(f"/indicators/{insured.pk}/revise/").status_code == status


def _rows(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_every_list_exports_with_dashes_where_there_is_no_rate(client, zone, insured, places):
    client.force_login(zone["leader"])
    listing = _rows(client.get("/indicators/export.xlsx"))
    header = next(r for r in listing if "指标代码" in r)
    assert header[:6] == ["指标代码", "指标", "数据主管单位", "单位", "最新期间", "园区"] and "东片区" in header
    row = next(r for r in listing if r[0] == "insured")
    assert row[5] == 70 and row[header.index("西片区")] == "—"
    matrix = _rows(client.get(f"/indicators/{insured.pk}/export.xlsx"))
    assert ["西湖社区", "社区", "—"] in matrix
    village = _rows(client.get(f"/indicators/villages/{places['e1'].pk}/export.xlsx"))
    assert any(r[0] == "参保率" and 90 in r for r in village)


@pytest.mark.parametrize("page", ["list", "detail", "village", "export", "api_values"])
def test_queries_do_not_grow_with_villages_and_periods(client, zone, insured, certified, places, page):
    client.force_login(zone["leader"])
    urls = {"list": "/indicators/", "detail": f"/indicators/{insured.pk}/",
            "village": f"/indicators/villages/{places['e1'].pk}/", "export": f"/indicators/{insured.pk}/export.xlsx",
            "api_values": "/api/indicators/values/"}
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            village = OrgUnit.objects.create(name=f"新村{i}", kind=OrgUnit.Kind.VILLAGE, parent=places["west"])
            for year in ("2024", "2025"):
                for d in (insured, certified):
                    services.count_enter(actor=None, definition=d, unit=village, period=year, values=[i, i + 1])
                services.count_enter(actor=None, definition=insured, unit=places["e1"], period=year, values=[i, 100])

    add(1)
    few = queries(client, urls[page])
    add(4)
    assert queries(client, urls[page]) == few


def test_a_value_entered_under_an_earlier_caliber_is_marked_and_the_versions_listed(client, zone, insured, places):
    services.definition_revise(actor=zone["shsy"], definition=insured,
                               data={"caliber": "按常住人口计", "note": "口径调整"})
    services.count_enter(actor=None, definition=insured, unit=places["e2"], period="2026", values=[60, 100])
    client.force_login(zone["leader"])
    html = client.get(f"/indicators/{insured.pk}/").content.decode()
    east_one = html.split(">东一村<")[1].split("</tr>")[0]
    east_two = html.split(">东二村<")[1].split("</tr>")[0]
    assert 'title="按口径第1版计算">旧口径' in east_one and "旧口径" not in east_two
    versions = html.split('data-testid="versions"')[1].split("</table>")[0]
    assert "按常住人口计" in versions and "户籍人口中参加基本养老保险的人数" in versions and "口径调整" in versions


def test_a_village_reporter_finds_its_village_page_and_enters_from_it(client, zone, places, certified):
    client.force_login(zone["e1"])
    listing = client.get("/indicators/").content.decode().split('data-testid="villages"')[1].split("</p>")[0]
    assert ">东一村<" in listing and ">东二村<" not in listing
    page = client.get(f"/indicators/villages/{places['e1'].pk}/").content.decode()
    assert page.count(">填报<") == 2  # 参保率 and 持证农民比例
    assert f"/indicators/{certified.pk}/counts/new/?unit={places['e1'].pk}" in page
    client.force_login(zone["leader"])
    assert ">填报<" not in client.get(f"/indicators/villages/{places['e1'].pk}/").content.decode()
