"""The assessment run export: the ranking as run_detail shows it and every unit's score lines as
run_unit shows them, within the assessment's scope (reporters: their units, once published)."""

import datetime as dt

import pytest
from django.urls import reverse

from yuanqu.assessment import services
from yuanqu.assessment.models import Run
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit

from ...factories import add_units_with_targets, make_user
from .conftest import column, count_queries, download

RANKING = ["排名", "单位", "得分", "等次", "一票否决", "指标得分", "加分", "扣分", "标记"]
DETAIL = ["排名", "单位", "组", "事项", "原始值", "分值", "说明"]
ROLES = ["admin", "supervisor", "leader", "invest", "agri", "village", "nounit", "invest_village", "leader_invest"]


def export_url(run) -> str:
    return reverse("reports:export_assessment_run", args=[run.pk])


@pytest.fixture
def run(users, units, scheme, compute) -> Run:
    services.veto_set(actor=users["supervisor"], scheme=scheme, unit=units["invest"], reason="发生较大安全生产事故")
    return compute(scheme)


def publish(run, users) -> Run:
    services.run_sign_off(actor=users["supervisor"], run=run)
    return services.run_publish(actor=users["supervisor"], run=run)


def page_lines(client, run, unit_id) -> list[tuple]:
    """The lines run_unit shows for a unit: (group, description, raw, points, explanation)."""
    sections = client.get(reverse("assessment:run_unit", args=[run.pk, unit_id])).context["sections"]
    return [(s["group"], line.description, line.raw, float(line.points), line.explanation)
            for s in sections for line in s["lines"]]


def test_the_ranking_sheet_is_the_ranking_page(client, users, run):
    client.force_login(users["supervisor"])
    book = download(client, export_url(run))
    assert list(book) == ["考核排名", "得分明细"]
    ranking = book["考核排名"]
    assert ranking[1] == RANKING
    results = client.get(reverse("assessment:run_detail", args=[run.pk])).context["results"]
    assert len(results) == 3
    assert [r[:9] for r in ranking[2:]] == [
        [r.rank, r.unit_name, float(r.total), r.grade, "是" if r.vetoed else "否", float(r.indicator),
         float(r.bonus), float(r.deduction), "、".join(r.flag_labels())]
        for r in results
    ]
    vetoed = {r[1]: r[4] for r in ranking[2:]}
    assert vetoed == {"招商局": "是", "农业农村局": "否", "三南村": "否"}
    note = ranking[0][0]
    assert f"第{run.number}版" in note and "状态：已测算" in note and "范围：全部参评单位" in note and "共3个单位" in note


def test_the_detail_sheet_has_every_units_lines_as_run_unit_shows_them(client, users, run):
    client.force_login(users["leader"])
    detail = download(client, export_url(run))["得分明细"]
    assert detail[1] == DETAIL
    results = client.get(reverse("assessment:run_detail", args=[run.pk])).context["results"]
    expected = [(r.rank, r.unit_name, *line) for r in results for line in page_lines(client, run, r.unit_id)]
    got = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in detail[2:]]
    assert got == expected
    assert len({r[1] for r in got}) == 3
    assert any("否决" in r[3] or "否决" in r[6] for r in got if r[1] == "招商局")


@pytest.mark.parametrize("published", [False, True])
def test_the_export_answers_whoever_the_page_answers_with_the_same_rows(client, users, units, run, published):
    if published:
        publish(run, users)
    expected_units = {
        # A reporter sees their unit and the units under it, only once published.
        "invest": {"招商局"}, "agri": {"农业农村局", "三南村"}, "village": {"三南村"},
        "invest_village": {"招商局", "三南村"},
    }
    for role in ROLES:
        client.force_login(users[role])
        page = client.get(reverse("assessment:run_detail", args=[run.pk]))
        response = client.get(export_url(run))
        assert response.status_code == page.status_code, role
        if users[role].can("assessment.read_all"):
            assert response.status_code == 200
            wanted = {"招商局", "农业农村局", "三南村"}
        elif published and role in expected_units:
            assert response.status_code == 200
            wanted = expected_units[role]
        else:
            assert response.status_code == 404, role
            continue
        book = download(client, export_url(run))
        assert set(column(book["考核排名"], "单位")) == wanted == {r.unit_name for r in page.context["results"]}
        assert set(column(book["得分明细"], "单位")) == wanted
        if not users[role].can("assessment.read_all"):
            assert f"范围：{users[role].unit_names()}及下属单位" in book["考核排名"][0][0]


def test_a_reporter_whose_units_have_no_result_gets_a_404_even_once_published(client, users, run):
    outsider = make_user("outsider1", Role.REPORTER, OrgUnit.objects.create(name="档案馆"))
    publish(run, users)
    client.force_login(outsider)
    assert client.get(reverse("assessment:run_detail", args=[run.pk])).status_code == 404
    assert client.get(export_url(run)).status_code == 404


def test_an_unknown_run_is_a_404_and_anonymous_goes_to_login(client, users, run):
    client.force_login(users["supervisor"])
    assert client.get(reverse("reports:export_assessment_run", args=[run.pk + 999])).status_code == 404
    client.logout()
    response = client.get(export_url(run))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_ranking_page_has_the_export_button_for_whoever_reads_it(client, users, run):
    url = reverse("assessment:run_detail", args=[run.pk])
    client.force_login(users["supervisor"])
    assert export_url(run) in client.get(url).content.decode()
    publish(run, users)
    client.force_login(users["agri"])
    assert export_url(run) in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["supervisor", "agri"])
def test_export_query_count_does_not_grow_with_units(client, users, units, plan, scheme, compute, role):
    client.force_login(users[role])
    add_units_with_targets(plan, 2)
    small_run = compute(scheme)
    add_units_with_targets(plan, 10)
    large_run = compute(scheme, when=dt.date(plan.year, 7, 31))
    assert large_run.unit_count == 3 * small_run.unit_count
    if role == "agri":
        # Grown units sit under 农业农村局, so the reporter's rows grow too; a reporter reads a run
        # once published, and a scheme has one published run: publish each in turn.
        for unit in OrgUnit.objects.filter(name__startswith="新增单位"):
            unit.parent = units["agri"]
            unit.save()  # through save(): it keeps the stored tree paths
        publish(small_run, users)
        small = count_queries(client, export_url(small_run))
        Run.objects.filter(pk=small_run.pk).update(status=Run.Status.SIGNED_OFF)
        publish(large_run, users)
    else:
        small = count_queries(client, export_url(small_run))
    large = count_queries(client, export_url(large_run))
    assert small == large
    assert len(download(client, export_url(large_run))["考核排名"]) == 2 + (15 if role == "supervisor" else 14)  # agri, the village and the grown units
