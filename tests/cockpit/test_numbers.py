"""The cockpit's figures against the plans selectors' own computation, on a hand-built case.

On 30 June (序时进度 49.59%, yellow band 10 points) the six targets stand as:
  一 招引项目100个          invest  20/100          red     gap 29.59
  一 农民收入提升10%以上     invest  6/10 = 60%      green
  一 新增目标六             agri    30/100          red     gap 19.59
  二 培育新型农民150人       agri    150/150         done
  二 三南村水美乡村          village 45%             yellow  gap 4.59
  二 新增目标五             agri    nothing         red     gap 49.59
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_target, target
from yuanqu.assessment.models import Run
from yuanqu.plans import selectors
from yuanqu.plans.models import LedgerItem, Target

URL = reverse("cockpit:index")


@pytest.fixture
def case(plan, units, accept, on):
    s1, s2 = plan.sections.order_by("order")
    t = {
        "invest": target(plan, "招引项目"),
        "ratio": target(plan, "农民收入"),
        "farmers": target(plan, "培育新型农民"),
        "village": target(plan, "三南村"),
        "five": make_target(plan, s2, units["agri"], "新增目标五"),
        "six": make_target(plan, s1, units["agri"], "新增目标六"),
    }
    accept(t["invest"], 3, value=10)
    accept(t["invest"], 5, value=15)
    accept(t["invest"], 5, value=20, version=2)
    accept(t["invest"], 7, value=90)  # after 'today': must not count
    accept(t["ratio"], 4, value=6)
    accept(t["farmers"], 2, value=40)
    accept(t["farmers"], 6, value=150)
    accept(t["village"], 5, percent=45)
    accept(t["six"], 2, value=30)
    return t


def _data(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.context["data"]


def test_hand_built_statuses_are_what_the_case_says(plan, case, on):
    evs = selectors.evaluate_targets(Target.objects.filter(plan=plan).select_related("plan"), on)
    assert {k: evs[t.pk].status.value for k, t in case.items()} == {
        "invest": "red", "ratio": "green", "farmers": "done", "village": "yellow", "five": "red", "six": "red",
    }


def test_section_counts_match_section_overview(client, users, plan, case, on):
    data = _data(client, users["leader"])
    expected = selectors.section_overview(plan, users["leader"], on)
    assert [s["id"] for s in data["sections"]] == [row["section"].pk for row in expected]
    for shown, row in zip(data["sections"], expected, strict=True):
        assert shown["total"] == row["total"]
        assert shown["counts"] == row["counts"]
    assert data["sections"][0]["counts"] == {"done": 0, "green": 1, "yellow": 0, "red": 2, "not_started": 0}
    assert data["sections"][1]["counts"] == {"done": 1, "green": 0, "yellow": 1, "red": 1, "not_started": 0}


def test_section_averages_cap_at_100_and_count_missing_figures_as_zero(client, users, case, on, accept):
    accept(case["farmers"], 6, value=300, version=2)  # twice the target: still counts as 100
    data = _data(client, users["leader"])
    first, second = data["sections"]
    assert first["completion"] == pytest.approx((20 + 60 + 30) / 3, abs=0.05)
    assert second["completion"] == pytest.approx((100 + 45 + 0) / 3, abs=0.05)
    assert first["schedule"] == second["schedule"] == pytest.approx(49.6, abs=0.05)
    # 12.9 points behind is past the 10-point yellow band; 1.3 behind is within it.
    assert (first["tone"], second["tone"]) == ("red", "yellow")


def test_bounds_to_keep_and_periods_not_begun_are_left_out_of_the_average(client, users, plan, units, case, on):
    s1 = plan.sections.order_by("order").first()
    make_target(plan, s1, units["invest"], "不发生重大事故", kind=Target.Kind.QUANTITY, comparator="=",
                target_value=Decimal("0"))
    make_target(plan, s1, units["invest"], "年底启动的项目", start_date=dt.date(plan.year, 12, 1))
    data = _data(client, users["leader"])
    assert data["sections"][0]["total"] == 5
    assert data["sections"][0]["completion"] == pytest.approx((20 + 60 + 30) / 3, abs=0.05)


def test_headline_numbers(client, users, case, on, units, supervision_item):
    supervision_item(units["agri"], on - dt.timedelta(days=3))
    supervision_item(units["invest"], on + dt.timedelta(days=3))  # not yet due
    supervision_item(units["invest"], on - dt.timedelta(days=9), state="closed")  # closed late: not open
    data = _data(client, users["supervisor"])
    h = data["headline"]
    assert (h["total"], h["done"], h["red"], h["overdue"]) == (6, 1, 3, 1)
    assert h["completion"] == pytest.approx((20 + 60 + 30 + 100 + 45 + 0) / 6, abs=0.05)
    assert h["schedule"] == h["year_schedule"] == pytest.approx(49.6, abs=0.05)
    assert h["tone"] == "yellow"
    html = client.get(URL).content.decode()
    assert 'data-testid="kpi-red"' in html


def test_lagging_targets_are_ordered_by_gap_and_exclude_done_and_ahead(client, users, case, on):
    data = _data(client, users["leader"])
    rows = data["lagging"]
    assert [r["id"] for r in rows] == [case["five"].pk, case["invest"].pk, case["six"].pk, case["village"].pk]
    assert [r["gap"] for r in rows] == [49.6, 29.6, 19.6, 4.6]
    assert rows[0]["unit"] == "农业农村局" and rows[0]["status"] == "red"
    assert rows[0]["url"] == reverse("plans:target_detail", args=[case["five"].pk])


def test_lagging_keeps_only_the_ten_worst(client, users, plan, units, case, on):
    s1 = plan.sections.first()
    for i in range(12):
        make_target(plan, s1, units["invest"], f"批量目标{i}")  # nothing reported: gap 49.59 each
    rows = _data(client, users["leader"])["lagging"]
    assert len(rows) == 10
    assert all(r["gap"] == 49.6 for r in rows)


def test_ranking_without_a_settled_run_is_by_share_on_track(client, users, units, case, on):
    ranking = _data(client, users["leader"])["ranking"]
    assert ranking["by"] == "on_track" and ranking["run"] is None
    rows = ranking["rows"]
    assert [r["unit_id"] for r in rows] == [units["invest"].pk, units["agri"].pk, units["village"].pk]
    assert [(r["share"], r["red"], r["total"]) for r in rows] == [(50.0, 1, 2), (33.3, 2, 3), (0.0, 0, 1)]
    assert [r["rank"] for r in rows] == [1, 2, 3]


def test_ranking_follows_the_latest_settled_run(client, users, units, case, on, settled_run):
    run = settled_run([units["village"], units["agri"], units["invest"]])
    # A later run that is only computed (not signed off) does not count.
    settled_run([units["invest"], units["agri"], units["village"]], status=Run.Status.COMPUTED, number=2,
                scheme=run.scheme)
    ranking = _data(client, users["leader"])["ranking"]
    assert ranking["by"] == "assessment"
    assert ranking["run"]["url"] == reverse("assessment:run_detail", args=[run.pk])
    rows = ranking["rows"]
    assert [r["unit_id"] for r in rows] == [units["village"].pk, units["agri"].pk, units["invest"].pk]
    assert [r["score"] for r in rows] == [95.0, 90.0, 85.0]
    assert [r["red"] for r in rows] == [0, 2, 1]
    assert rows[0]["grade"] == "优秀"


def test_ranking_ignores_runs_of_other_years(client, users, units, case, on, settled_run, plan):
    from yuanqu.assessment.models import Scheme

    other = Scheme.objects.create(year=plan.year - 1, name="去年方案", status=Scheme.Status.ACTIVE)
    settled_run([units["village"]], scheme=other, status=Run.Status.PUBLISHED)
    assert _data(client, users["leader"])["ranking"]["by"] == "on_track"


def test_trend_recomputes_each_month_end_as_status_history_does(client, users, plan, case, on):
    data = _data(client, users["leader"])
    trend = data["trend"]
    assert trend["months"] == [f"{m}月" for m in range(1, 7)]
    expected = [Counter() for _ in range(6)]
    for t in Target.objects.filter(plan=plan).select_related("plan"):
        for i, (_day, ev) in enumerate(selectors.status_history(t, on)):
            expected[i][ev.status.value] += 1
    for status, values in trend["series"].items():
        assert values == [c.get(status, 0) for c in expected], status
    # The last point is today: the same as the headline's counts.
    assert {s: v[-1] for s, v in trend["series"].items()} == data["headline"]["counts"]
    # In February the farmers' target had 40 of 150 against 15.9% elapsed: green; in June it is done.
    assert trend["series"]["done"] == [0, 0, 0, 0, 0, 1]


def test_trend_counts_ledger_items_done_by_each_month_end(client, users, plan, units, on):
    s1 = plan.sections.first()
    ledger = make_target(plan, s1, units["invest"], "台账目标", kind=Target.Kind.LEDGER, target_value=None)
    for i, month in enumerate([1, 2, 3]):
        LedgerItem.objects.create(target=ledger, name=f"事项{i}", status=LedgerItem.Status.DONE,
                                  completed_on=dt.date(plan.year, month, 20))
    LedgerItem.objects.create(target=ledger, name="取消的", status=LedgerItem.Status.CANCELLED)
    history = [ev.status.value for _day, ev in selectors.status_history(ledger, on)]
    assert history[2:] == ["done"] * 4  # all three counted items done by 31 March
    data = _data(client, users["leader"])
    assert [v >= 1 for v in data["trend"]["series"]["done"]] == [False, False, True, True, True, True]


def test_a_past_plan_shows_all_twelve_months_and_a_future_one_none(client, users, plan, on):
    from yuanqu.plans.models import Plan

    past = Plan.objects.create(year=plan.year - 1, title="去年", source_text="x", status=Plan.Status.CLOSED)
    future = Plan.objects.create(year=plan.year + 1, title="明年", source_text="x")
    client.force_login(users["leader"])
    assert len(client.get(URL, {"plan": past.pk}).context["data"]["trend"]["months"]) == 12
    response = client.get(URL, {"plan": future.pk})
    assert response.context["data"]["trend"]["months"] == []
    assert "计划年度尚未开始" in response.content.decode()


def test_soft_deleted_targets_do_not_count(client, users, case, on):
    case["five"].deleted_at = dt.datetime.now(dt.UTC)
    case["five"].save(update_fields=["deleted_at"])
    data = _data(client, users["leader"])
    assert data["headline"]["total"] == 5
    assert case["five"].pk not in [r["id"] for r in data["lagging"]]
