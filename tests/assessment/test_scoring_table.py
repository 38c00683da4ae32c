"""How every kind of target scores, hand-checked (docs/scoring.md has the same table).

Each row goes the whole way a run goes, without a database: the target and its latest accepted
report → the status engine (the light) → the snapshot entry (selectors.target_entry) → its JSON
round trip → the engine. The target is alone in a group worth 100 points, so its score is its
percentage; None means it is not scored yet (it drops out of its group, a note says why).

Common ground: plan year 2026, 序时进度 by day, green band 0, yellow band 10 points; reports due
10 days after each month ends; period 2026-01-01 – 2026-12-31 unless the row says otherwise.
序时进度 on 2026-06-30 = 181 / 365 = 49.59 %.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from yuanqu.assessment import engine, selectors
from yuanqu.plans.models import Plan, ProgressReport, Target
from yuanqu.plans.selectors import evaluate_target

YEAR = 2026
MID = dt.date(YEAR, 6, 30)
END = dt.date(YEAR, 12, 31)
GRACE = 10

Q, R, M, L, QL = (Target.Kind.QUANTITY, Target.Kind.RATIO, Target.Kind.MILESTONE, Target.Kind.LEDGER,
                  Target.Kind.QUALITATIVE)

# (case, kind, comparator, target value, reported (value, percent) or None, on, options → expected)
# options: start/end (the target's period), baseline, ledger (done, total), mode ("percent" for
# milestones scored by progress), basis ("schedule").
ROWS = [
    # quantity ≥100个, 60 reported: 60 / 100 = 60 % → 60.
    ("quantity behind", Q, ">=", 100, (60, None), MID, {}, D("60.00")),
    # 120 / 100 = 120 %, capped at the scheme's 100 % → 100.
    ("quantity over", Q, ">=", 100, (120, None), MID, {}, D("100.00")),
    # Nothing accepted on 06-30 though January's report was due 02-10: light red, score 0.
    ("quantity, report due, none", Q, ">=", 100, None, MID, {}, D("0.00")),
    # On 02-05 the first report (January's) is due only on 02-10: not scored.
    ("quantity, no report due yet", Q, ">=", 100, None, dt.date(YEAR, 2, 5), {}, None),
    # The period starts 07-01, after the cut-off: not scored.
    ("quantity, period not begun", Q, ">=", 100, None, MID, {"start": dt.date(YEAR, 7, 1)}, None),
    # ... even with a figure already reported (an early report): still not scored before its start.
    ("quantity, not begun, early figure", Q, ">=", 100, (10, None), MID, {"start": dt.date(YEAR, 7, 1)}, None),
    # ratio ≥50%, 45 reported: 45 / 50 = 90 % → 90.
    ("ratio", R, ">=", 50, (45, None), MID, {}, D("90.00")),
    # ratio ≥50% from a baseline of 40: (45 − 40) / (50 − 40) = 50 % → 50.
    ("ratio with baseline", R, ">=", 50, (45, None), MID, {"baseline": 40}, D("50.00")),
    # "超过30%", 29.7 reported: 29.7 / 30 = 99 % → 99.
    ("ratio above (>)", R, ">", 30, ("29.7", None), MID, {}, D("99.00")),
    # at most ≤3起, 2 reported: within the bound → all 100.
    ("at most, within", Q, "<=", 3, (2, None), MID, {}, D("100.00")),
    # at most ≤3起, exactly 3: within (≤) → 100.
    ("at most, on the bound", Q, "<=", 3, (3, None), MID, {}, D("100.00")),
    # at most ≤3起, 4 reported: beyond the bound → 0.
    ("at most, breached", Q, "<=", 3, (4, None), MID, {}, D("0.00")),
    # below <3: 3 reported is not below → 0.
    ("below (<), on the bound", Q, "<", 3, (3, None), MID, {}, D("0.00")),
    # 确保不发生重特大安全生产事故: a milestone "= 0", 0 reported, light green → 100 (scored 0 before).
    ("zero incidents, milestone", M, "=", 0, (0, None), MID, {}, D("100.00")),
    # the same as a quantity, 0 reported → 100.
    ("zero incidents, quantity", Q, "=", 0, (0, None), MID, {}, D("100.00")),
    # the same after the year, 0 reported: light 已完成 → 100.
    ("zero incidents, year over", M, "=", 0, (0, None), END + dt.timedelta(days=5), {}, D("100.00")),
    # one incident reported: light red → 0.
    ("zero incidents, one happened", M, "=", 0, (1, None), MID, {}, D("0.00")),
    # nothing reported by 06-30 though reports were due from 02-10: 0 (silence never pays).
    ("zero incidents, report due, none", M, "=", 0, None, MID, {}, D("0.00")),
    # nothing reported by 01-20, the first report due 02-10: not scored.
    ("zero incidents, no report due yet", M, "=", 0, None, dt.date(YEAR, 1, 20), {}, None),
    # milestone, binary: 100 % reported (light 已完成) → all.
    ("milestone done, binary", M, "", None, (None, 100), MID, {}, D("100.00")),
    # milestone, binary: 80 % reported, not done → nothing.
    ("milestone 80%, binary", M, "", None, (None, 80), MID, {}, D("0.00")),
    # milestone, by progress: 80 % → 80.
    ("milestone 80%, by progress", M, "", None, (None, 80), MID, {"mode": "percent"}, D("80.00")),
    # milestone, by progress, nothing reported though due → 0.
    ("milestone, by progress, none", M, "", None, None, MID, {"mode": "percent"}, D("0.00")),
    # milestone ending 12-31 and starting then too (如期完成 at the year's end): not begun on 06-30.
    ("milestone, one-day period ahead", M, "=", None, None, MID, {"start": END, "mode": "percent"}, None),
    # qualitative, binary, 100 % → all; by progress, 50 % → 50.
    ("qualitative done", QL, "", None, (None, 100), MID, {}, D("100.00")),
    ("qualitative 50%, by progress", QL, "", None, (None, 50), MID, {"mode": "percent"}, D("50.00")),
    # ledger ≥5 items, 3 done: 3 / 5 = 60 % → 60.
    ("ledger 3 of 5", L, ">=", 5, None, MID, {"ledger": (3, 5)}, D("60.00")),
    # ledger without items, 2 reported by hand against ≥4: 2 / 4 = 50 % → 50.
    ("ledger without items", L, ">=", 4, (2, None), MID, {}, D("50.00")),
    # Basis "schedule" (对照序时进度): 40 / 100 = 40 %, against 49.59 % → 40 / 49.59 = 80.66 %.
    ("quantity 40%, against schedule", Q, ">=", 100, (40, None), MID, {"basis": "schedule"}, D("80.66")),
    # 60 % against 49.59 % = 120.99 %, capped at 100 %.
    ("quantity 60%, against schedule", Q, ">=", 100, (60, None), MID, {"basis": "schedule"}, D("100.00")),
    # milestone by progress 30 % against 49.59 % = 60.496 % → 60.50.
    ("milestone 30%, against schedule", M, "", None, (None, 30), MID, {"mode": "percent", "basis": "schedule"},
     D("60.50")),
    # ledger 2 of 5 = 40 % against 49.59 % → 80.66.
    ("ledger 2 of 5, against schedule", L, ">=", 5, None, MID, {"ledger": (2, 5), "basis": "schedule"}, D("80.66")),
    # At the deadline 序时进度 is 100 %: 60 % stays 60 on either basis.
    ("quantity 60% at year end, against schedule", Q, ">=", 100, (60, None), END, {"basis": "schedule"},
     D("60.00")),
    # "at most" targets are not scaled by 序时进度: within → 100.
    ("at most, against schedule", Q, "<=", 3, (1, None), MID, {"basis": "schedule"}, D("100.00")),
]


def score(kind, comparator, value, reported, on, opts) -> tuple[D | None, list[str]]:
    plan = Plan(year=YEAR, title="计划", status=Plan.Status.ACTIVE)
    target = Target(
        pk=1, plan=plan, title="目标", kind=kind, comparator=comparator,
        target_value=None if value is None else D(str(value)), unit="起" if comparator in {"<=", "<", "="} else "个",
        baseline=None if opts.get("baseline") is None else D(str(opts["baseline"])),
        start_date=opts.get("start"), deadline=opts.get("end"),
    )
    report = None
    if reported is not None:
        v, p = reported
        report = ProgressReport(target=target, period=dt.date(YEAR, 1, 1), review=ProgressReport.Review.ACCEPTED,
                                value=None if v is None else D(str(v)), percent=None if p is None else D(str(p)))
    ledger = None
    if "ledger" in opts:
        done, total = opts["ledger"]
        ledger = {"items_done": done, "items_total": total}
    ev = evaluate_target(target, on=on, report=report, ledger=ledger)
    entry = selectors.target_entry(target, ev, group="g", on=on, grace_days=GRACE, report=report, ledger=ledger)
    scheme = engine.Scheme(
        groups=(engine.GroupSpec("g", "个性", engine.SPECIFIC, D(100)),),
        milestone_mode=opts.get("mode", engine.BINARY), progress_basis=opts.get("basis", engine.ANNUAL),
    )
    unit = engine.unit_from_dict({"id": 1, "name": "单位", "targets": [entry]})
    result = engine.score_unit(scheme, unit)
    lines = [ln for ln in result.lines if ln.kind == "target"]
    notes = [ln.explanation for ln in result.lines if ln.kind == "note"]
    return (lines[0].points if lines else None), notes


@pytest.mark.parametrize(("case", "kind", "comparator", "value", "reported", "on", "opts", "expected"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_scoring_table(case, kind, comparator, value, reported, on, opts, expected):
    points, notes = score(kind, comparator, value, reported, on, opts)
    assert points == expected
    if expected is None:
        assert any("不计分" in n and ("尚未开始" in n or "尚无应报数据" in n) for n in notes), notes


def test_a_not_started_target_leaves_its_weight_to_the_others_in_its_group():
    # Two targets of equal weight in a group of 80: one 50 % done, one not begun. The first takes
    # the whole 80: 80 × 50 % = 40 (not 20, as if the second scored 0).
    started = engine.TargetInput(1, "甲", "g", "quantity", D(1), D(50))
    waiting = engine.TargetInput(2, "乙", "g", "quantity", D(1), None, not_started="计划于2026-07-01开始")
    scheme = engine.Scheme(groups=(engine.GroupSpec("g", "个性", engine.SPECIFIC, D(80)),
                                   engine.GroupSpec("c", "共性", engine.COMMON, D(20))))
    unit = engine.UnitInput(1, "单位", targets=(started, waiting),
                            common=(engine.CommonInput("c", "热线", D(100)),))
    result = engine.score_unit(scheme, unit)
    assert [ln.points for ln in result.lines if ln.kind == "target"] == [D("40.00")]
    assert result.indicator == D("60.00")


def test_the_basis_is_the_schemes_and_survives_the_snapshot():
    scheme = engine.Scheme(groups=(engine.GroupSpec("g", "个性", engine.SPECIFIC, D(100)),),
                           progress_basis=engine.SCHEDULE)
    assert engine.scheme_from_dict(engine.scheme_to_dict(scheme)).progress_basis == engine.SCHEDULE
    # Snapshots written before the field was added read as the year's target.
    data = engine.scheme_to_dict(scheme)
    del data["progress_basis"]
    assert engine.scheme_from_dict(data).progress_basis == engine.ANNUAL
