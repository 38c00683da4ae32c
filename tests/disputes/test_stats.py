"""Per handling unit and mediation committee: cases handled, on time against every clock, overdue
(open ones past a limit included), ranked only past the minimum sample; the page and its export are
scoped by role and their queries do not grow with the cases."""

import io

import pytest
from python_calamine import CalamineWorkbook

from yuanqu.disputes import selectors

from ..access import queries
from .conftest import D, step

YEAR_END = D(2026, 12, 31)
AUG_2, AUG_20, AUG_25 = D(2026, 8, 2), D(2026, 8, 20), D(2026, 8, 25)


def _petition(make_case, unit="invest", accept=AUG_2, answer=None, extend=None):
    case = step(make_case(unit=unit, received_on=D(2026, 8, 1)), "accept", on=accept)
    if extend:
        case = step(case, "extend", on=extend, approver="主任", comment="情况复杂")
    return step(case, "answer", on=answer, comment="依法答复") if answer else case


def _mediation(make_case, unit="agri", committee="三和调委会", concluded=AUG_20, followed=AUG_25):
    case = make_case(kind="mediation", unit=unit, received_on=D(2026, 8, 1), committee=committee)
    if concluded:
        case = step(case, "accept", on=D(2026, 8, 2))
        case = step(case, "conclude", on=concluded, agreement_reached=True, agreement_text="赔偿三千元")
        if followed:
            case = step(case, "follow_up", on=followed, comment="已履行")
    return case


@pytest.fixture
def year(make_case, clock, settings):
    settings.YUANQU_DISPUTES_MIN_SAMPLE = 3
    clock.set_today(YEAR_END)
    # 招商局: five handled, three of them on time (one within its extension, one declined), one answered
    # late, one accepted late; one still open past its 60 days.
    _petition(make_case, answer=D(2026, 9, 30))
    _petition(make_case, answer=D(2026, 10, 5))  # handling due 10-01
    _petition(make_case)  # open, past due since 10-02
    _petition(make_case, extend=D(2026, 9, 20), answer=D(2026, 10, 20))  # extended to 10-31
    step(make_case(received_on=D(2026, 8, 1)), "decline", on=D(2026, 8, 3), comment="不属于信访事项")
    _petition(make_case, accept=D(2026, 8, 20), answer=D(2026, 9, 1))  # acceptance due 08-16
    make_case(received_on=D(2025, 12, 1))  # another year: not counted
    # 农业农村局: three mediations handled on time (follow-up visits within 30 days) and one never accepted.
    for _ in range(3):
        _mediation(make_case)
    _mediation(make_case, committee="三南调委会", concluded=None)
    # 三南村: one handled on time — below the minimum sample.
    _mediation(make_case, unit="village", committee="三南调委会")


def test_each_unit_is_counted_against_its_clocks_and_ranked_past_the_minimum_sample(zone, year):
    figures = {f.name: f for f in selectors.unit_figures(zone["leader"], YEAR_END, year=2026)}
    invest, agri, village = figures["招商局"], figures["农业农村局"], figures["三南村"]
    assert (invest.total, invest.handled, invest.on_time, invest.overdue, invest.open_overdue) == (6, 5, 3, 3, 1)
    assert (agri.total, agri.handled, agri.on_time, agri.overdue, agri.open_overdue) == (4, 3, 3, 1, 1)
    assert (village.handled, village.on_time, village.overdue) == (1, 1, 0)
    assert [(f.name, f.rank) for f in selectors.unit_figures(zone["leader"], YEAR_END, year=2026)] == [
        ("农业农村局", 1), ("招商局", 2), ("三南村", None)]
    petitions = selectors.unit_figures(zone["leader"], YEAR_END, year=2026, kind="petition")
    assert [(f.name, f.total) for f in petitions] == [("招商局", 6)]
    assert {f.name: f.total for f in selectors.unit_figures(zone["leader"], YEAR_END, year=2025)} == {"招商局": 1}


def test_the_rank_waits_for_the_minimum_sample_setting(zone, year, settings):
    settings.YUANQU_DISPUTES_MIN_SAMPLE = 6
    assert all(f.rank is None for f in selectors.unit_figures(zone["leader"], YEAR_END, year=2026))
    settings.YUANQU_DISPUTES_MIN_SAMPLE = 1
    ranks = {f.name: f.rank for f in selectors.unit_figures(zone["leader"], YEAR_END, year=2026)}
    # Both at 100 %: fewer overdue first.
    assert ranks == {"三南村": 1, "农业农村局": 2, "招商局": 3}


def test_mediation_committees_are_figured_and_ranked_alike(zone, year):
    committees = selectors.committee_figures(zone["leader"], YEAR_END, year=2026)
    assert [(f.name, f.rank, f.handled, f.on_time, f.overdue) for f in committees] == [
        ("三和调委会", 1, 3, 3, 0), ("三南调委会", None, 1, 1, 1)]


# Which units' rows each role sees: the zone-wide readers all; a unit its own and those under it.
SEES = {"admin": {"招商局", "农业农村局", "三南村"}, "leader": {"招商局", "农业农村局", "三南村"},
        "supervisor": {"招商局", "农业农村局", "三南村"}, "office": {"招商局", "农业农村局", "三南村"},
        "invest": {"招商局"}, "agri": {"农业农村局", "三南村"}, "village": {"三南村"}}


def _rows(html_or_cells: str) -> set[str]:
    return {name for name in ("招商局", "农业农村局", "三南村") if name in html_or_cells}


@pytest.mark.parametrize("role", [*SEES, "nounit"])
def test_the_page_and_its_export_are_scoped_to_the_role(client, zone, year, role):
    client.force_login(zone[role])
    page = client.get("/disputes/stats/?year=2026")
    export = client.get("/disputes/stats.xlsx?year=2026")
    if role == "nounit":
        assert page.status_code == export.status_code == 403
        return
    assert page.status_code == export.status_code == 200
    table = page.content.decode().split('data-testid="unit-figures"', 1)[1].split('data-testid="committee-figures"')[0]
    assert _rows(table) == SEES[role]
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    units = book.get_sheet_by_name("承办单位").to_python()
    assert _rows(" ".join(str(row[1]) for row in units[2:])) == SEES[role]
    assert book.sheet_names == ["承办单位", "调解委员会"]


def test_the_export_has_the_figures_as_numbers_and_the_unranked_marked(client, zone, year):
    client.force_login(zone["office"])
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/disputes/stats.xlsx?year=2026").content))
    rows = book.get_sheet_by_name("承办单位").to_python()
    header = rows.index(next(r for r in rows if r[0] == "排名"))
    body = {r[1]: r for r in rows[header + 1:]}
    assert body["招商局"][:8] == [2, "招商局", 6, 5, 3, pytest.approx(0.6), 3, 1]
    assert body["三南村"][0] == "样本不足"
    petitions = CalamineWorkbook.from_filelike(io.BytesIO(
        client.get("/disputes/stats.xlsx?year=2026&kind=petition").content))
    assert petitions.sheet_names == ["承办单位"]


def test_the_page_explains_the_sample_and_links_from_the_list(client, zone, year):
    client.force_login(zone["leader"])
    html = client.get("/disputes/stats/?year=2026").content.decode()
    assert "已办理不少于 3 件的单位才参加排名" in html and "样本不足" in html and "60.0%" in html
    assert 'href="/disputes/stats/"' in client.get("/disputes/").content.decode()


@pytest.mark.parametrize("url", ["/disputes/stats/?year=2026", "/disputes/stats.xlsx?year=2026"])
@pytest.mark.parametrize("role", ["leader", "agri"])
def test_queries_do_not_grow_with_cases_units_or_committees(client, zone, units, make_case, clock, url, role):
    clock.set_today(YEAR_END)
    client.force_login(zone[role])
    _mediation(make_case, unit="village")
    few = queries(client, url)
    for i in range(4):
        _mediation(make_case, unit=("agri", "village", "area")[i % 3], committee=f"调委会{i}")
        _petition(make_case, unit=("agri", "invest")[i % 2], answer=D(2026, 9, 1))
    assert queries(client, url) == few
