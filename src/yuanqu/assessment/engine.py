"""Year-end 目标管理绩效考核 of departments. Pure functions, no Django.

A unit's score is built line by line, and every line says in Chinese why it is what it is:

1. Indicator score (full marks, e.g. 100). The scheme's groups (共性/个性) carry weights. Inside a
   group each component (a target, or a common indicator scored by hand) carries a weight, and
   earns a fraction of it:
   - not started on the cut-off (its period has not begun, or no report was due yet and none
     was given): it does not apply, and drops out like a weight-0 target;
   - "at most" (<=, <) and "must not happen" (= 0) targets, whatever their kind: within the
     bound on the latest accepted figure → all; beyond it → nothing; no figure though one was due → nothing;
   - quantity/ratio: completion % from the status engine, capped (default 100 %), floored (default 0);
     with the scheme's basis "schedule" the completion is measured against 序时进度 on the
     cut-off (on schedule = 100 %), with "annual" (default) against the year's target;
   - milestone/qualitative: met → all, not met → nothing ("binary"), or the reported percent
     (on the same basis as above);
   - ledger: items done / items required (the target's number, else all its items); a ledger
     without items is scored on its reported completion like a quantity;
   - no accepted figure though a report was due: nothing;
   - common indicator: the hand score out of 100.
   docs/scoring.md has the table of every case, worked by hand.
   A group's points never exceed its weight. Components that do not apply (weight 0, a ledger
   without items) drop out; a group with nothing left drops out and the remaining group weights are
   scaled up to full marks — a line says so.
2. Bonus (加分): approved items only, their sum capped (e.g. +5).
3. Deductions (扣分): per occurrence (overdue target, returned report, late/missing monthly report,
   催办, overdue 督办单), each kind capped.
4. Total = indicator + bonus − deductions, never below 0. Grade from the bands (≥90 优秀 ...).
5. One-vote veto (一票否决) forces the lowest grade whatever the score ("no_excellent" only bars
   the top grade); vetoed units rank last.
6. Quota: at most q % of the units (rounded down) keep the top grade; the rest, by rank, move to
   the next grade. Units tied on every ranking key share a rank; if such a tie straddles the
   quota, all of them move down, so the quota is never exceeded.

Points are Decimals. Each line is rounded to 0.01 so that the lines add up exactly to the total:
the indicator lines are apportioned by largest remainder from the exact (unrounded) sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

COMMON, SPECIFIC = "common", "specific"

OVERDUE_TARGET = "overdue_target"
RETURNED_REPORT = "returned_report"
MISSING_REPORT = "missing_report"
URGE = "urge"
OVERDUE_SUPERVISION = "overdue_supervision"
DEDUCTION_LABELS = {
    OVERDUE_TARGET: "目标逾期未完成",
    RETURNED_REPORT: "进度报告被退回",
    MISSING_REPORT: "月报迟报或漏报",
    URGE: "督办事项被催办",
    OVERDUE_SUPERVISION: "督办事项逾期未办结",
}
DEDUCTION_UNITS = {OVERDUE_TARGET: "个", RETURNED_REPORT: "次", MISSING_REPORT: "次", URGE: "次",
                   OVERDUE_SUPERVISION: "件"}

VETO_FAIL = "fail"  # 一票否决: lowest grade
VETO_NO_EXCELLENT = "no_excellent"  # 不得评为优秀
BINARY, PERCENT = "binary", "percent"
ANNUAL, SCHEDULE = "annual", "schedule"  # what completion is measured against (Scheme.progress_basis)

MILESTONE_KINDS = {"milestone", "qualitative"}


def dec(value) -> Decimal:
    """Decimal from int, str, Decimal or float (floats through str, so 0.1 stays 0.1)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def fmt(value: Decimal | float | int | None) -> str:
    """A number as people write it: 80, 80.5, 26.67 (no trailing zeros, no exponent)."""
    if value is None:
        return "—"
    value = dec(value).quantize(CENT, ROUND_HALF_UP).normalize()
    text = format(value, "f")
    return "0" if text in {"-0", "0"} else text


# ---------------------------------------------------------------- scheme


@dataclass(frozen=True)
class Band:
    name: str
    min_score: Decimal


DEFAULT_BANDS = (Band("优秀", Decimal(90)), Band("良好", Decimal(80)), Band("合格", Decimal(70)),
                 Band("不合格", ZERO))


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: str
    kind: str  # COMMON or SPECIFIC
    weight: Decimal


@dataclass(frozen=True)
class DeductionRule:
    kind: str
    points: Decimal  # per occurrence
    cap: Decimal | None = None  # most this kind can take away; None: no cap


@dataclass(frozen=True)
class Scheme:
    groups: tuple[GroupSpec, ...]
    full_marks: Decimal = HUNDRED
    completion_cap: Decimal = HUNDRED  # percent
    completion_floor: Decimal | None = ZERO  # percent; None: no floor
    milestone_mode: str = BINARY
    progress_basis: str = ANNUAL
    bonus_cap: Decimal = Decimal(5)
    deductions: tuple[DeductionRule, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS  # descending by min_score
    excellent_quota: Decimal | None = Decimal(20)  # percent of units; None: no quota


# ---------------------------------------------------------------- inputs per unit


@dataclass(frozen=True)
class TargetInput:
    id: int
    title: str
    group: str  # GroupSpec.key
    kind: str  # quantity / ratio / milestone / qualitative / ledger
    weight: Decimal = Decimal(1)
    completion: Decimal | None = None  # percent of target (status engine); None: nothing accepted
    met: bool = False
    items_done: int | None = None
    items_goal: Decimal | None = None  # ledger: the number required
    overdue: bool = False
    status: str = ""  # the light's label, for explanations
    schedule: Decimal | None = None  # 序时进度 on the cut-off, percent
    # Why the target is not scored yet (its period has not begun, no report due yet); "" when it is.
    not_started: str = ""
    # "At most"/"must not happen" targets: the bound as people read it (e.g. "≤3起", "=0") and
    # whether the latest accepted figure is within it (None: no figure).
    bound: str = ""
    within: bool | None = None
    figure: str = ""  # the latest accepted figure as reported, for explanations
    # Cancelled by an approved adjustment and still counted (the scheme says so): why, for the line.
    cancelled: str = ""


@dataclass(frozen=True)
class CommonInput:
    group: str
    name: str
    score: Decimal  # out of 100
    weight: Decimal = Decimal(1)
    note: str = ""


@dataclass(frozen=True)
class BonusInput:
    points: Decimal
    reason: str
    evidence: str = ""
    status: str = "approved"  # pending / approved / refused: only approved counts
    id: int | None = None


@dataclass(frozen=True)
class VetoInput:
    reason: str
    effect: str = VETO_FAIL


@dataclass(frozen=True)
class UnitInput:
    id: int
    name: str
    targets: tuple[TargetInput, ...] = ()
    common: tuple[CommonInput, ...] = ()
    # Occurrences per deduction kind; overdue targets are counted from `targets`.
    counts: Mapping[str, int] = field(default_factory=dict)
    details: Mapping[str, Sequence[str]] = field(default_factory=dict)  # what each occurrence was
    bonuses: tuple[BonusInput, ...] = ()
    vetoes: tuple[VetoInput, ...] = ()


# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Line:
    group: str  # the group's name, or 加分 / 扣分 / 一票否决 / 等次 / 说明
    kind: str  # target / common / group_cap / bonus / bonus_cap / deduction / floor / veto / quota / note
    description: str
    raw: str  # the raw value the line was scored from
    points: Decimal
    explanation: str


@dataclass
class UnitResult:
    unit_id: int
    unit_name: str
    lines: list[Line]
    indicator: Decimal
    bonus: Decimal
    deduction: Decimal  # positive number of points taken away
    total: Decimal
    grade: str
    rank: int | None = None
    vetoed: bool = False
    flags: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple:
        """Ranking order: vetoed last, then total, indicator score, fewer deductions (all descending)."""
        return (self.vetoed, -self.total, -self.indicator, self.deduction)


FLAG_LABELS = {
    "renormalised": "权重折算",
    "no_indicators": "无考核指标",
    "group_capped": "组得分封顶",
    "bonus_capped": "加分封顶",
    "deduction_capped": "扣分封顶",
    "floored": "总分保底",
    "vetoed": "一票否决",
    "no_excellent": "不得评优",
    "quota_moved": "超出优秀名额",
    "quota_tie": "并列超额",
}


# ---------------------------------------------------------------- scoring


@dataclass
class _Component:
    group: str
    kind: str
    description: str
    raw: str
    weight: Decimal
    fraction: Decimal  # share of the component's weight earned (may exceed 1 under a cap > 100 %)
    explanation: str


def _capped_percent(scheme: Scheme, percent: Decimal) -> tuple[Decimal, str]:
    """Percent after the scheme's cap and floor, and a note when either applied."""
    if percent > scheme.completion_cap:
        return scheme.completion_cap, f"，超过上限按{fmt(scheme.completion_cap)}%计"
    if scheme.completion_floor is not None and percent < scheme.completion_floor:
        return scheme.completion_floor, f"，低于下限按{fmt(scheme.completion_floor)}%计"
    return percent, ""


def _against_basis(scheme: Scheme, t: TargetInput, percent: Decimal) -> tuple[Decimal, str]:
    """Completion measured on the scheme's basis: as is ("annual"), or against 序时进度 ("schedule")."""
    if scheme.progress_basis != SCHEDULE or t.met or t.schedule is None or dec(t.schedule) >= HUNDRED:
        return percent, ""
    schedule = dec(t.schedule)
    if schedule <= 0:
        return HUNDRED, "，序时进度为0%，按100%计"
    relative = percent / schedule * HUNDRED
    return relative, f"，对照序时进度{fmt(schedule)}%折合{fmt(relative)}%"


def _target_component(scheme: Scheme, t: TargetInput) -> _Component | str:
    """A scored component, or the reason (Chinese) why the target does not apply."""
    weight = dec(t.weight)
    if weight <= 0:
        return f"目标“{t.title}”权重为0，不计分"
    if t.cancelled:
        return _Component(t.group, "target", t.title, "调整取消", weight, ZERO, f"{t.cancelled}，按考核方案计0分")
    if t.not_started:
        return f"目标“{t.title}”{t.not_started}，本次不计分，其权重由同组其他事项分摊"
    status = f"（当前{t.status}）" if t.status else ""
    if t.bound:
        figure = f"最新采纳值{t.figure}，" if t.figure else ""
        if t.within:
            return _Component(t.group, "target", t.title, "符合控制目标", weight, Decimal(1),
                              f"{figure}符合控制目标（{t.bound}），得满分{status}")
        if t.within is False:
            return _Component(t.group, "target", t.title, "超出控制目标", weight, ZERO,
                              f"{figure}超出控制目标（{t.bound}），不得分{status}")
        return _Component(t.group, "target", t.title, "应报未报", weight, ZERO,
                          f"截至考核日应报告而无已采纳的填报数据，按0计{status}")
    goal = dec(t.items_goal) if t.items_goal is not None else ZERO
    if t.kind == "ledger" and goal <= 0 and t.completion is None:
        return f"台账目标“{t.title}”尚无应完成事项，不计分"
    if t.kind == "ledger" and t.items_done is not None and goal > 0:
        done = dec(t.items_done)
        share = done / goal * HUNDRED
        measured, basis = _against_basis(scheme, t, share)
        used, note = _capped_percent(scheme, measured)
        return _Component(
            t.group, "target", t.title, f"已完成{fmt(done)}/{fmt(goal)}项", weight, used / HUNDRED,
            f"台账完成{fmt(done)}项，应完成{fmt(goal)}项，完成率{fmt(share)}%{basis}{note}",
        )
    if t.kind in MILESTONE_KINDS:
        if scheme.milestone_mode == PERCENT:
            percent = dec(t.completion) if t.completion is not None else ZERO
            if t.met:
                percent = max(percent, HUNDRED)
            measured, basis = _against_basis(scheme, t, percent)
            used = min(max(measured, ZERO), HUNDRED)
            return _Component(
                t.group, "target", t.title, f"进度{fmt(percent)}%", weight, used / HUNDRED,
                f"按填报进度{fmt(percent)}%{basis}，计{fmt(used)}%{status}",
            )
        if t.met:
            return _Component(t.group, "target", t.title, "已完成", weight, Decimal(1), "节点已完成，得满分")
        return _Component(t.group, "target", t.title, "未完成", weight, ZERO, f"节点未完成，不得分{status}")
    # quantity, ratio, a ledger without items (reported by hand), anything carrying a completion percent
    if t.completion is None:
        return _Component(t.group, "target", t.title, "应报未报", weight, ZERO,
                          f"截至考核日应报告而无已采纳的填报数据，按0计{status}")
    percent = dec(t.completion)
    measured, basis = _against_basis(scheme, t, percent)
    used, note = _capped_percent(scheme, measured)
    return _Component(
        t.group, "target", t.title, f"完成率{fmt(percent)}%", weight, used / HUNDRED,
        f"完成率{fmt(percent)}%{basis}{note}{status}",
    )


def _common_component(c: CommonInput) -> _Component | str:
    weight = dec(c.weight)
    if weight <= 0:
        return f"共性指标“{c.name}”权重为0，不计分"
    score = min(max(dec(c.score), ZERO), HUNDRED)
    note = f"；{c.note}" if c.note else ""
    return _Component(c.group, "common", c.name, f"评分{fmt(c.score)}", weight, score / HUNDRED,
                      f"由牵头部门按百分制评分{fmt(c.score)}分{note}")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _apportion(exact: list[Decimal]) -> list[Decimal]:
    """Round each value to 0.01 so that they add up to the rounded exact sum (largest remainder)."""
    if not exact:
        return []
    total = _round(sum(exact, ZERO))
    floors = [x.quantize(CENT, ROUND_FLOOR) for x in exact]
    extra = int((total - sum(floors, ZERO)) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:extra]:
        floors[i] += CENT
    return floors


def _indicator_lines(scheme: Scheme, unit: UnitInput, flags: list[str]) -> tuple[list[Line], Decimal]:
    notes: list[str] = []
    components: dict[str, list[_Component]] = {g.key: [] for g in scheme.groups}
    for t in unit.targets:
        comp = _target_component(scheme, t)
        if isinstance(comp, str):
            notes.append(comp)
        elif comp.group in components:
            components[comp.group].append(comp)
        else:
            notes.append(f"目标“{t.title}”不属于方案中的任何组，不计分")
    for c in unit.common:
        comp = _common_component(c)
        if isinstance(comp, str):
            notes.append(comp)
        elif comp.group in components:
            components[comp.group].append(comp)

    applicable = [g for g in scheme.groups if components[g.key] and dec(g.weight) > 0]
    dropped = [g for g in scheme.groups if g not in applicable and dec(g.weight) > 0]
    applicable_weight = sum((dec(g.weight) for g in applicable), ZERO)
    lines: list[Line] = [Line("说明", "note", "不计分事项", "", ZERO, n) for n in notes]
    if not applicable:
        flags.append("no_indicators")
        lines.append(Line("说明", "note", "无考核指标", "", ZERO, "本单位在方案各组均无考核内容，指标得分为0"))
        return lines, ZERO
    if dropped:
        flags.append("renormalised")
        scaled = "，".join(
            f"{g.name} {fmt(g.weight)}→{fmt(scheme.full_marks * dec(g.weight) / applicable_weight)}"
            for g in applicable
        )
        names = "、".join(f"“{g.name}”" for g in dropped)
        lines.append(Line("说明", "note", "权重折算", f"适用权重合计{fmt(applicable_weight)}", ZERO,
                          f"本单位在{names}组无考核内容，该组不计入；其余各组权重按比例折算为满分"
                          f"{fmt(scheme.full_marks)}分：{scaled}"))

    exact: list[tuple[Line, Decimal]] = []
    for g in applicable:
        share = scheme.full_marks * dec(g.weight) / applicable_weight  # the group's points at full marks
        comps = components[g.key]
        weight_sum = sum((c.weight for c in comps), ZERO)
        group_exact = ZERO
        for c in comps:
            worth = share * c.weight / weight_sum
            points = worth * c.fraction
            group_exact += points
            exact.append((
                Line(g.name, c.kind, c.description, c.raw, ZERO,
                     f"{c.explanation}；本项满分{fmt(worth)}分（{g.name}组{fmt(share)}分×权重{fmt(c.weight)}"
                     f"/{fmt(weight_sum)}）"),
                points,
            ))
        if group_exact > share:
            flags.append("group_capped")
            exact.append((
                Line(g.name, "group_cap", f"{g.name}组封顶", f"组内合计{fmt(group_exact)}分", ZERO,
                     f"超额完成只能在组内弥补，{g.name}组得分以{fmt(share)}分为上限"),
                share - group_exact,
            ))
    rounded = _apportion([points for _, points in exact])
    for (line, _), points in zip(exact, rounded, strict=True):
        lines.append(replace(line, points=points))
    return lines, sum(rounded, ZERO)


def _bonus_lines(scheme: Scheme, unit: UnitInput, flags: list[str]) -> tuple[list[Line], Decimal]:
    lines, total = [], ZERO
    status_label = {"pending": "待审核，暂不计分", "refused": "未通过审核，不计分"}
    for b in unit.bonuses:
        evidence = f"；依据：{b.evidence}" if b.evidence else ""
        if b.status == "approved":
            points = _round(dec(b.points))
            total += points
            lines.append(Line("加分", "bonus", b.reason, f"+{fmt(points)}", points, f"经督查室审核通过{evidence}"))
        else:
            lines.append(Line("加分", "bonus", b.reason, f"+{fmt(b.points)}", ZERO,
                              status_label.get(b.status, "不计分") + evidence))
    cap = dec(scheme.bonus_cap)
    if total > cap:
        flags.append("bonus_capped")
        lines.append(Line("加分", "bonus_cap", "加分封顶", f"加分合计{fmt(total)}", cap - total,
                          f"加分合计{fmt(total)}分，以{fmt(cap)}分为上限"))
        total = cap
    return lines, total


def _deduction_lines(scheme: Scheme, unit: UnitInput, flags: list[str]) -> tuple[list[Line], Decimal]:
    counts = dict(unit.counts)
    counts[OVERDUE_TARGET] = sum(1 for t in unit.targets if t.overdue)
    details = dict(unit.details)
    details.setdefault(OVERDUE_TARGET, [t.title for t in unit.targets if t.overdue])
    lines, total = [], ZERO
    for rule in scheme.deductions:
        n = int(counts.get(rule.kind, 0) or 0)
        if n <= 0:
            continue
        per = dec(rule.points)
        raw = per * n
        taken = raw
        label = DEDUCTION_LABELS.get(rule.kind, rule.kind)
        unit_word = DEDUCTION_UNITS.get(rule.kind, "次")
        text = f"{label}{n}{unit_word}，每{unit_word}扣{fmt(per)}分，计{fmt(raw)}分"
        if rule.cap is not None and raw > dec(rule.cap):
            taken = dec(rule.cap)
            flags.append("deduction_capped")
            text += f"，以{fmt(rule.cap)}分为上限，扣{fmt(taken)}分"
        what = list(details.get(rule.kind) or [])
        if what:
            shown = "；".join(what[:5]) + ("等" if len(what) > 5 else "")
            text += f"（{shown}）"
        taken = _round(taken)
        total += taken
        lines.append(Line("扣分", "deduction", label, f"{n}{unit_word}", -taken, text))
    return lines, total


def _grade_for(scheme: Scheme, total: Decimal) -> str:
    for band in scheme.bands:
        if total >= dec(band.min_score):
            return band.name
    return scheme.bands[-1].name


def score_unit(scheme: Scheme, unit: UnitInput) -> UnitResult:
    """One unit's lines, total and grade before ranking and quota (which need every unit)."""
    flags: list[str] = []
    lines, indicator = _indicator_lines(scheme, unit, flags)
    bonus_lines, bonus = _bonus_lines(scheme, unit, flags)
    deduction_lines, deduction = _deduction_lines(scheme, unit, flags)
    lines += bonus_lines + deduction_lines
    total = indicator + bonus - deduction
    if total < 0:
        flags.append("floored")
        lines.append(Line("说明", "floor", "总分保底", f"计算结果{fmt(total)}", -total, "总分不低于0分"))
        total = ZERO
    grade = _grade_for(scheme, total)
    lines.append(Line("等次", "note", "按分数定档", f"总分{fmt(total)}", ZERO, _band_text(scheme, total, grade)))
    vetoed = False
    fails = [v for v in unit.vetoes if v.effect == VETO_FAIL]
    if fails:
        vetoed = True
        flags.append("vetoed")
        lowest = scheme.bands[-1].name
        lines.append(Line("一票否决", "veto", "；".join(v.reason for v in fails), "一票否决", ZERO,
                          f"一票否决：无论得分多少，等次定为{lowest}，排名列于末位"))
        grade = lowest
    elif unit.vetoes:
        top = scheme.bands[0].name
        reasons = "；".join(v.reason for v in unit.vetoes)
        if len(scheme.bands) > 1 and grade == top:
            flags.append("no_excellent")
            grade = scheme.bands[1].name
            text = f"不得评为{top}，等次由{top}调整为{grade}"
        else:
            text = f"不得评为{top}（按分数本就未达到，等次不变）"
        lines.append(Line("一票否决", "veto", reasons, "不得评优", ZERO, text))
    return UnitResult(unit.id, unit.name, lines, indicator, bonus, deduction, _round(total), grade,
                      vetoed=vetoed, flags=flags)


def _band_text(scheme: Scheme, total: Decimal, grade: str) -> str:
    bands = "，".join(f"≥{fmt(b.min_score)}分{b.name}" for b in scheme.bands[:-1])
    rest = scheme.bands[-1].name
    return f"总分{fmt(total)}分，按档次（{bands}，其余{rest}）为{grade}"


def _rank(results: list[UnitResult]) -> list[UnitResult]:
    """Sort and give competition ranks (1, 2, 2, 4): equal keys share a rank."""
    results.sort(key=lambda r: r.sort_key())  # stable: ties keep the input (unit tree) order
    previous, rank = None, 0
    for i, r in enumerate(results, start=1):
        if r.sort_key() != previous:
            rank, previous = i, r.sort_key()
        r.rank = rank
    return results


def quota_slots(scheme: Scheme, count: int) -> int:
    """How many units may hold the top grade: quota % of the units, rounded down."""
    if scheme.excellent_quota is None:
        return count
    return math.floor(dec(count) * dec(scheme.excellent_quota) / HUNDRED)


def _apply_quota(scheme: Scheme, results: list[UnitResult]) -> None:
    if scheme.excellent_quota is None or len(scheme.bands) < 2:
        return
    top, second = scheme.bands[0].name, scheme.bands[1].name
    slots = quota_slots(scheme, len(results))
    candidates = [r for r in results if r.grade == top]  # already in rank order
    if len(candidates) <= slots:
        return
    basis = (f"{top}名额为参评单位{len(results)}个×{fmt(scheme.excellent_quota)}%="
             f"{fmt(dec(len(results)) * dec(scheme.excellent_quota) / HUNDRED)}，向下取整为{slots}个")
    kept = 0
    ties: dict[int, list[UnitResult]] = {}
    for r in candidates:
        ties.setdefault(r.rank, []).append(r)
    for rank in sorted(ties):
        group = ties[rank]
        if kept + len(group) <= slots:
            kept += len(group)
            continue
        for r in group:
            r.flags.append("quota_moved")
            if len(group) > 1 and kept < slots:
                others = "、".join(o.unit_name for o in group if o is not r)
                r.flags.append("quota_tie")
                text = (f"{basis}；本单位与{others}并列第{rank}名（总分、指标得分、扣分均相同），"
                        f"并列单位{len(group)}个而剩余名额仅{slots - kept}个，无法区分先后，"
                        f"为不超出名额均调整为{second}")
            else:
                text = f"{basis}；本单位排名第{rank}，超出名额，由{top}调整为{second}"
            r.lines.append(Line("等次", "quota", "优秀名额限制", f"第{rank}名", ZERO, text))
            r.grade = second
        kept = slots  # every later candidate is over the quota


def assess(scheme: Scheme, units: Iterable[UnitInput]) -> list[UnitResult]:
    """Score, rank and grade every unit; results in rank order."""
    results = _rank([score_unit(scheme, u) for u in units])
    _apply_quota(scheme, results)
    return results


# ---------------------------------------------------------------- snapshot (JSON) round trip


def _opt(value) -> Decimal | None:
    return None if value is None or value == "" else dec(value)


def _str(value: Decimal | None) -> str | None:
    return None if value is None else format(dec(value), "f")


def scheme_to_dict(scheme: Scheme) -> dict:
    return {
        "full_marks": _str(scheme.full_marks),
        "completion_cap": _str(scheme.completion_cap),
        "completion_floor": _str(scheme.completion_floor),
        "milestone_mode": scheme.milestone_mode,
        "progress_basis": scheme.progress_basis,
        "bonus_cap": _str(scheme.bonus_cap),
        "excellent_quota": _str(scheme.excellent_quota),
        "groups": [{"key": g.key, "name": g.name, "kind": g.kind, "weight": _str(g.weight)} for g in scheme.groups],
        "deductions": [{"kind": d.kind, "points": _str(d.points), "cap": _str(d.cap)} for d in scheme.deductions],
        "bands": [{"name": b.name, "min": _str(b.min_score)} for b in scheme.bands],
    }


def scheme_from_dict(data: Mapping) -> Scheme:
    return Scheme(
        groups=tuple(GroupSpec(str(g["key"]), g["name"], g["kind"], dec(g["weight"])) for g in data["groups"]),
        full_marks=dec(data.get("full_marks", 100)),
        completion_cap=dec(data.get("completion_cap", 100)),
        completion_floor=_opt(data.get("completion_floor", "0")),
        milestone_mode=data.get("milestone_mode", BINARY),
        progress_basis=data.get("progress_basis", ANNUAL),
        bonus_cap=dec(data.get("bonus_cap", 5)),
        deductions=tuple(DeductionRule(d["kind"], dec(d["points"]), _opt(d.get("cap")))
                         for d in data.get("deductions", ())),
        bands=tuple(Band(b["name"], dec(b["min"])) for b in data.get("bands", ())) or DEFAULT_BANDS,
        excellent_quota=_opt(data.get("excellent_quota")),
    )


def unit_from_dict(data: Mapping) -> UnitInput:
    return UnitInput(
        id=int(data["id"]),
        name=data["name"],
        targets=tuple(
            TargetInput(
                id=int(t["id"]), title=t["title"], group=str(t["group"]), kind=t["kind"],
                weight=dec(t.get("weight", 1)), completion=_opt(t.get("completion")), met=bool(t.get("met")),
                items_done=t.get("items_done"), items_goal=_opt(t.get("items_goal")),
                overdue=bool(t.get("overdue")), status=t.get("status", ""),
                schedule=_opt(t.get("schedule")), not_started=t.get("not_started") or "",
                bound=t.get("bound") or "", within=t.get("within"), figure=t.get("figure") or "",
                cancelled=t.get("cancelled") or "",
            )
            for t in data.get("targets", ())
        ),
        common=tuple(
            CommonInput(str(c["group"]), c["name"], dec(c["score"]), dec(c.get("weight", 1)), c.get("note", ""))
            for c in data.get("common", ())
        ),
        counts={k: int(v) for k, v in (data.get("counts") or {}).items()},
        details={k: list(v) for k, v in (data.get("details") or {}).items()},
        bonuses=tuple(
            BonusInput(dec(b["points"]), b["reason"], b.get("evidence", ""), b.get("status", "approved"), b.get("id"))
            for b in data.get("bonuses", ())
        ),
        vetoes=tuple(VetoInput(v["reason"], v.get("effect", VETO_FAIL)) for v in data.get("vetoes", ())),
    )


def assess_snapshot(snapshot: Mapping) -> list[UnitResult]:
    """Recompute a run from its frozen inputs alone."""
    return assess(scheme_from_dict(snapshot["scheme"]), [unit_from_dict(u) for u in snapshot["units"]])


def result_to_dict(r: UnitResult, lines: Iterable[Line] | None = None) -> dict:
    """JSON-friendly result (points as numbers with two decimals). `r` may also be a stored
    RunResult (same names), with its `lines` given in order."""
    return {
        "unit_id": r.unit_id,
        "unit": r.unit_name,
        "rank": r.rank,
        "total": float(r.total),
        "grade": r.grade,
        "vetoed": r.vetoed,
        "indicator": float(r.indicator),
        "bonus": float(r.bonus),
        "deduction": float(r.deduction),
        "flags": list(r.flags),
        "lines": [
            {"group": ln.group, "kind": ln.kind, "description": ln.description, "raw": ln.raw,
             "points": float(ln.points), "explanation": ln.explanation}
            for ln in (r.lines if lines is None else lines)
        ],
    }
