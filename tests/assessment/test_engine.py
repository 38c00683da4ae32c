"""The assessment engine without a database: hand-checked arithmetic and properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.assessment import engine as e

COMMON = e.GroupSpec("c", "共性", e.COMMON, D(20))
SPECIFIC = e.GroupSpec("p", "个性", e.SPECIFIC, D(80))
RULES = (
    e.DeductionRule(e.OVERDUE_TARGET, D(1), D(3)),
    e.DeductionRule(e.RETURNED_REPORT, D("0.5"), D(2)),
    e.DeductionRule(e.MISSING_REPORT, D("0.2"), None),
    e.DeductionRule(e.URGE, D("0.5"), D(2)),
    e.DeductionRule(e.OVERDUE_SUPERVISION, D(1), D(3)),
)


def scheme(**kw) -> e.Scheme:
    return e.Scheme(groups=kw.pop("groups", (COMMON, SPECIFIC)), deductions=kw.pop("deductions", RULES), **kw)


def target(tid, completion=None, *, group="p", kind="quantity", weight=1, **kw) -> e.TargetInput:
    return e.TargetInput(tid, f"目标{tid}", group, kind, D(weight),
                         None if completion is None else D(completion), **kw)


def unit(uid=1, name=None, **kw) -> e.UnitInput:
    return e.UnitInput(uid, name or f"单位{uid}", **kw)


def one(s, u) -> e.UnitResult:
    return e.assess(s, [u])[0]


def points(result, kind=None, description=None) -> list[D]:
    return [ln.points for ln in result.lines
            if (kind is None or ln.kind == kind) and (description is None or ln.description == description)]


def test_groups_and_target_weights_are_hand_checked():
    # 共性 20 × 90% = 18. 个性 80 split by target weights 1:2:1 → worth 20, 40, 20:
    # 120% capped to 100% → 20; 50% of 40 → 20; milestone met → 20. Total 78.
    u = unit(targets=(target(1, 120), target(2, 50, weight=2), target(3, kind="milestone", met=True)),
             common=(e.CommonInput("c", "12345热线", D(90)),))
    r = one(scheme(), u)
    assert points(r, "common") == [D("18.00")]
    assert points(r, "target") == [D("20.00"), D("20.00"), D("20.00")]
    assert r.indicator == D("78.00") and r.total == D("78.00") and r.grade == "合格"
    explanation = next(ln.explanation for ln in r.lines if ln.description == "目标1")
    assert "超过上限按100%计" in explanation and "本项满分20分" in explanation


def test_a_higher_completion_cap_lets_overachievement_make_up_within_the_group_only():
    s = scheme(completion_cap=D(120))
    u = unit(targets=(target(1, 130), target(2, 80)), common=(e.CommonInput("c", "热线", D(50)),))
    r = one(s, u)
    # 个性: 40 × 1.2 + 40 × 0.8 = 80 exactly (the 130 % is cut to 120 %). 共性: 10.
    assert points(r, "target") == [D("48.00"), D("32.00")]
    assert r.total == D("90.00")
    # Over the group's weight: 150 % + 100 % under a 150 % cap would be 100 > 80: capped.
    r = one(scheme(completion_cap=D(150)), unit(targets=(target(1, 150), target(2, 100)),
                                                 common=(e.CommonInput("c", "热线", D(100)),)))
    assert points(r, "group_cap") == [D("-20.00")]
    assert r.indicator == D("100.00") and "group_capped" in r.flags


def test_floor_keeps_a_fall_below_baseline_at_zero_unless_removed():
    u = unit(targets=(target(1, -25),), common=(e.CommonInput("c", "热线", D(100)),))
    assert one(scheme(), u).total == D("20.00")
    r = one(scheme(completion_floor=None), u)
    assert points(r, "target") == [D("-20.00")]  # 80 × −25 %
    assert r.total == D("0.00") and "floored" not in r.flags  # 20 − 20 = 0, not below
    r = one(scheme(completion_floor=None), unit(targets=(target(1, -50),)))
    assert r.total == D("0.00") and "floored" in r.flags
    assert sum(ln.points for ln in r.lines) == r.total


def test_milestones_score_met_or_not_by_default_and_by_percent_when_configured():
    u = unit(targets=(target(1, 60, kind="milestone"), target(2, 100, kind="qualitative", met=True)),
             common=(e.CommonInput("c", "热线", D(100)),))
    assert points(one(scheme(), u), "target") == [D("0.00"), D("40.00")]
    assert points(one(scheme(milestone_mode=e.PERCENT), u), "target") == [D("24.00"), D("40.00")]


def test_ledger_scores_the_share_of_items_done_and_drops_out_without_items():
    u = unit(targets=(target(1, kind="ledger", items_done=3, items_goal=D(5)),
                      target(2, kind="ledger", items_done=0, items_goal=None)),
             common=(e.CommonInput("c", "热线", D(100)),))
    r = one(scheme(), u)
    assert points(r, "target") == [D("48.00")]  # 3/5 of 80; the item-less ledger is not counted
    assert any("尚无应完成事项" in ln.explanation for ln in r.lines)


def test_a_ledger_without_items_is_scored_on_its_reported_completion():
    u = unit(targets=(target(1, 70, kind="ledger", items_done=None, items_goal=D(10)),),
             common=(e.CommonInput("c", "热线", D(100)),))
    assert points(one(scheme(), u), "target") == [D("56.00")]  # 80 × 70 %


def test_bonus_counts_approved_items_only_and_is_capped():
    u = unit(targets=(target(1, 100),), common=(e.CommonInput("c", "热线", D(50)),), bonuses=(
        e.BonusInput(D(3), "省级表彰", "苏政发〔2026〕1号"),
        e.BonusInput(D(4), "国家级表彰"),
        e.BonusInput(D(1), "待审", status="pending"),
        e.BonusInput(D(2), "被退", status="refused"),
    ))
    r = one(scheme(), u)
    assert points(r, "bonus") == [D("3.00"), D("4.00"), D("0"), D("0")]
    assert points(r, "bonus_cap") == [D("-2.00")]
    assert r.bonus == D(5) and r.total == D("95.00") and "bonus_capped" in r.flags
    assert "依据：苏政发〔2026〕1号" in r.lines[[ln.description for ln in r.lines].index("省级表彰")].explanation


def test_deductions_are_per_occurrence_each_kind_capped():
    u = unit(
        targets=(target(1, 100), target(2, 40, overdue=True), target(3, 10, overdue=True),
                 target(4, 0, overdue=True), target(5, 0, overdue=True)),
        common=(e.CommonInput("c", "热线", D(100)),),
        counts={e.URGE: 5, e.MISSING_REPORT: 3, e.RETURNED_REPORT: 1, e.OVERDUE_SUPERVISION: 0},
    )
    r = one(scheme(), u)
    by_what = {ln.description: ln.points for ln in r.lines if ln.kind == "deduction"}
    assert by_what == {
        "目标逾期未完成": D("-3.00"),  # 4 × 1 = 4, capped at 3
        "进度报告被退回": D("-0.50"),
        "月报迟报或漏报": D("-0.60"),  # 3 × 0.2, no cap
        "督办事项被催办": D("-2.00"),  # 5 × 0.5 = 2.5, capped at 2
    }
    assert r.deduction == D("6.10")
    # 共性 20 + 个性 16 × (1 + 0.4 + 0.1) = 44 → 44 − 6.1
    assert r.indicator == D("44.00") and r.total == D("37.90")
    urge = next(ln for ln in r.lines if ln.description == "督办事项被催办")
    assert "计2.5分，以2分为上限，扣2分" in urge.explanation


def test_missing_group_drops_out_and_the_rest_is_scaled_to_full_marks():
    r = one(scheme(), unit(targets=(target(1, 60), target(2, 90))))
    assert "renormalised" in r.flags
    note = next(ln for ln in r.lines if ln.description == "权重折算")
    assert "“共性”组无考核内容" in note.explanation and "个性 80→100" in note.explanation
    assert points(r, "target") == [D("30.00"), D("45.00")]  # 50 each (100 / 2 targets)
    assert r.total == D("75.00")


def test_lines_add_up_to_the_total_when_shares_do_not_divide_evenly():
    r = one(scheme(), unit(targets=(target(1, 100), target(2, 100), target(3, 100)),
                           common=(e.CommonInput("c", "热线", D(100)),)))
    assert sorted(points(r, "target")) == [D("26.66"), D("26.67"), D("26.67")]
    assert r.total == D("100.00") == sum(ln.points for ln in r.lines)


def test_veto_forces_the_lowest_grade_and_the_last_place_whatever_the_score():
    best = unit(1, targets=(target(1, 100),), common=(e.CommonInput("c", "热线", D(100)),),
                vetoes=(e.VetoInput("发生较大生产安全责任事故"),))
    other = unit(2, targets=(target(2, 50),))
    results = e.assess(scheme(excellent_quota=None), [best, other])
    assert [r.unit_id for r in results] == [2, 1]
    vetoed = results[1]
    assert vetoed.total == D("100.00") and vetoed.grade == "不合格" and vetoed.vetoed and vetoed.rank == 2
    line = next(ln for ln in vetoed.lines if ln.kind == "veto")
    assert line.description == "发生较大生产安全责任事故" and "等次定为不合格" in line.explanation


def test_no_excellent_veto_only_bars_the_top_grade():
    u = unit(targets=(target(1, 100),), common=(e.CommonInput("c", "热线", D(100)),),
             vetoes=(e.VetoInput("营商环境投诉查实", e.VETO_NO_EXCELLENT),))
    r = one(scheme(excellent_quota=None), u)
    assert r.grade == "良好" and not r.vetoed and "no_excellent" in r.flags


def _scored(uid: int, specific: int, bonus: int = 0) -> e.UnitInput:
    """A unit whose total is `specific` + `bonus` (个性 only, scaled to 100)."""
    bonuses = (e.BonusInput(D(bonus), "表彰"),) if bonus else ()
    return unit(uid, targets=(target(uid, specific),), bonuses=bonuses)


def test_quota_moves_units_beyond_it_by_rank_to_the_next_grade():
    # 10 units × 20 % = 2 places. Four score ≥ 90: the 3rd and 4th become 良好.
    units = [_scored(i, s) for i, s in enumerate([99, 97, 95, 92, 85, 80, 75, 70, 65, 60], start=1)]
    results = e.assess(scheme(), units)
    assert [r.grade for r in results[:5]] == ["优秀", "优秀", "良好", "良好", "良好"]
    moved = results[2]
    assert "quota_moved" in moved.flags
    assert any("10个×20%=2，向下取整为2个" in ln.explanation and "排名第3" in ln.explanation
               for ln in moved.lines if ln.kind == "quota")


def test_quota_rounds_down_seven_units_get_one_place():
    units = [_scored(i, s) for i, s in enumerate([99, 98, 97, 50, 50, 50, 50], start=1)]
    results = e.assess(scheme(), units)
    assert e.quota_slots(scheme(), 7) == 1
    assert [r.grade for r in results[:3]] == ["优秀", "良好", "良好"]


def test_a_tie_straddling_the_quota_moves_every_tied_unit_down():
    # 10 units, 2 places: one clear first, then two tied on total, indicator and deductions.
    units = [_scored(1, 99), _scored(2, 95), _scored(3, 95)] + [_scored(i, 60) for i in range(4, 11)]
    results = e.assess(scheme(), units)
    assert [(r.unit_id, r.rank, r.grade) for r in results[:3]] == [(1, 1, "优秀"), (2, 2, "良好"), (3, 2, "良好")]
    assert all("quota_tie" in r.flags for r in results[1:3])
    text = next(ln.explanation for ln in results[1].lines if ln.kind == "quota")
    assert "与单位3并列第2名" in text and "剩余名额仅1个" in text and "均调整为良好" in text


def test_a_tie_on_total_is_broken_by_the_indicator_score():
    # Both total 95; unit 2 earned it on indicators, unit 3 with a bonus: unit 2 ranks higher.
    units = [_scored(1, 99), _scored(2, 95), _scored(3, 93, bonus=2)] + [_scored(i, 60) for i in range(4, 11)]
    results = e.assess(scheme(), units)
    assert [(r.unit_id, r.rank, r.grade) for r in results[:3]] == [(1, 1, "优秀"), (2, 2, "优秀"), (3, 3, "良好")]


def test_bands_are_data():
    s = scheme(bands=(e.Band("好", D(60)), e.Band("差", D(0))), excellent_quota=None)
    assert one(s, _scored(1, 61)).grade == "好"
    assert one(s, _scored(1, 59)).grade == "差"


def test_snapshot_round_trip_gives_identical_results():
    s = scheme(completion_floor=None, milestone_mode=e.PERCENT)
    units = [unit(1, targets=(target(1, 80), target(2, 30, kind="milestone")),
                  common=(e.CommonInput("c", "热线", D(88), D(2), "说明"),),
                  counts={e.URGE: 2}, details={e.MISSING_REPORT: ["1月漏报"]},
                  bonuses=(e.BonusInput(D("1.5"), "表彰", "文件", "approved", 7),),
                  vetoes=(e.VetoInput("事故", e.VETO_NO_EXCELLENT),)),
             _scored(2, 70)]
    data = {"scheme": e.scheme_to_dict(s), "units": [_unit_dict(u) for u in units]}
    assert e.assess_snapshot(data) == e.assess(s, units)


def _unit_dict(u: e.UnitInput) -> dict:
    return {
        "id": u.id, "name": u.name,
        "targets": [{"id": t.id, "title": t.title, "group": t.group, "kind": t.kind, "weight": str(t.weight),
                     "completion": None if t.completion is None else str(t.completion), "met": t.met,
                     "items_done": t.items_done, "items_goal": t.items_goal, "overdue": t.overdue}
                    for t in u.targets],
        "common": [{"group": c.group, "name": c.name, "score": str(c.score), "weight": str(c.weight),
                    "note": c.note} for c in u.common],
        "counts": dict(u.counts), "details": {k: list(v) for k, v in u.details.items()},
        "bonuses": [{"points": str(b.points), "reason": b.reason, "evidence": b.evidence, "status": b.status,
                     "id": b.id} for b in u.bonuses],
        "vetoes": [{"reason": v.reason, "effect": v.effect} for v in u.vetoes],
    }


# ---------------------------------------------------------------- properties

percents = st.one_of(st.none(), st.decimals(min_value=-50, max_value=300, places=2))
kinds = st.sampled_from(["quantity", "ratio", "milestone", "qualitative", "ledger"])


@st.composite
def schemes(draw) -> e.Scheme:
    n = draw(st.integers(1, 3))
    weights = draw(st.lists(st.integers(0, 100), min_size=n, max_size=n).filter(lambda w: sum(w) > 0))
    groups = tuple(e.GroupSpec(f"g{i}", f"组{i}", e.COMMON if i == 0 else e.SPECIFIC, D(w))
                   for i, w in enumerate(weights))
    return e.Scheme(
        groups=groups,
        completion_cap=D(draw(st.sampled_from([100, 120, 150]))),
        completion_floor=draw(st.sampled_from([D(0), None])),
        milestone_mode=draw(st.sampled_from([e.BINARY, e.PERCENT])),
        bonus_cap=D(draw(st.integers(0, 10))),
        deductions=RULES,
        excellent_quota=D(draw(st.sampled_from([0, 20, 30, 50]))),
    )


@st.composite
def units_for(draw, s: e.Scheme, uid: int) -> e.UnitInput:
    keys = [g.key for g in s.groups]
    targets = tuple(
        e.TargetInput(
            uid * 100 + i, f"目标{i}", draw(st.sampled_from(keys)), draw(kinds),
            D(draw(st.integers(0, 5))), draw(percents), draw(st.booleans()),
            draw(st.one_of(st.none(), st.integers(0, 10))), D(draw(st.integers(0, 10))), draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 4)))
    )
    common = tuple(e.CommonInput(keys[0], f"共性{i}", D(draw(st.integers(0, 100))))
                   for i in range(draw(st.integers(0, 2))))
    bonuses = tuple(e.BonusInput(D(draw(st.integers(1, 6))), "加分", status=draw(st.sampled_from(
        ["approved", "pending", "refused"]))) for _ in range(draw(st.integers(0, 3))))
    counts = {k: draw(st.integers(0, 8)) for k in (e.URGE, e.MISSING_REPORT, e.RETURNED_REPORT,
                                                   e.OVERDUE_SUPERVISION)}
    vetoes = (e.VetoInput("事故"),) if draw(st.integers(0, 9)) == 0 else ()
    return e.UnitInput(uid, f"单位{uid}", targets, common, counts, {}, bonuses, vetoes)


@st.composite
def cases(draw):
    s = draw(schemes())
    units = [draw(units_for(s, uid)) for uid in range(1, draw(st.integers(1, 12)) + 1)]
    return s, units


@settings(max_examples=150, deadline=None)
@given(cases())
def test_totals_stay_within_bounds_and_lines_add_up(case):
    s, units = case
    for r in e.assess(s, units):
        assert D(0) <= r.total <= s.full_marks + s.bonus_cap
        assert sum(ln.points for ln in r.lines) == r.total
        assert r.indicator <= s.full_marks


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_more_completion_never_lowers_a_score(case, data):
    s, units = case
    u = units[0]
    if not u.targets:
        return
    i = data.draw(st.integers(0, len(u.targets) - 1))
    t = u.targets[i]
    more = data.draw(st.decimals(min_value=0, max_value=200, places=2))
    if t.kind == "ledger" and t.completion is None and not t.items_goal:
        return  # a first figure makes an item-less ledger apply at all: a change of weighting, not of completion
    better = type(t)(**{**t.__dict__,
                        "completion": (t.completion or D(0)) + more if t.completion is not None else more,
                        "met": True if t.met else data.draw(st.booleans()),
                        "items_done": None if t.items_done is None else t.items_done + data.draw(st.integers(0, 5))})
    improved = type(u)(**{**u.__dict__, "targets": u.targets[:i] + (better,) + u.targets[i + 1:]})
    before = e.score_unit(s, u).total
    after = e.score_unit(s, improved).total
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(cases())
def test_the_top_grade_never_exceeds_the_quota_and_never_goes_to_a_vetoed_unit(case):
    s, units = case
    results = e.assess(s, units)
    top = [r for r in results if r.grade == s.bands[0].name]
    assert len(top) <= e.quota_slots(s, len(results))
    assert not any(r.vetoed for r in top)
    ranks = [r.rank for r in results]
    assert ranks == sorted(ranks) and ranks[0] == 1


@pytest.mark.parametrize("value,text", [(D("80.00"), "80"), (D("26.666"), "26.67"), (D("-0.001"), "0"),
                                        (None, "—")])
def test_numbers_are_written_as_people_write_them(value, text):
    assert e.fmt(value) == text
