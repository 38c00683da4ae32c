"""Target status against 序时进度 (schedule progress). Pure functions, no Django.

序时进度 is the share of the target's period that has elapsed on a date:
- mode "day":   (days from start through the date, inclusive) / (days in the period) × 100;
- mode "month": whole months elapsed before the date's month / months in the period × 100,
  i.e. the cut-off is the end of the previous month, as monthly reporting uses.

Completion is the latest accepted figure as a percentage of the target:
- quantity/ratio/ledger: value / target (or (value − baseline) / (target − baseline) with a baseline);
  a range uses its lower bound;
- milestone/qualitative: the reported percent complete.

Status on a date (thresholds come from the plan's StatusRule):
- done:        the target is met (for "at most"/"must not happen" targets: the period ended within bound);
- not started: the period has not begun, or nothing has been accepted yet while 序时进度 is still
               within the yellow band (nothing much was due);
- red:         the deadline passed unmet, an "at most" bound is breached, or the shortfall
               exceeds the yellow band;
- yellow:      the shortfall is above the green band and at most the yellow band (default 10 points);
- green:       the shortfall is at most the green band (default 0: completion ≥ 序时进度).
The shortfall is 序时进度 − completion in points, or relative to 序时进度 (see StatusRule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    DONE = "done"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def rank(self) -> int:
        """Ordering from worst to best, for sorting and for 'the reddest'."""
        return _RANK[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "未开始",
    Status.RED: "红灯",
    Status.YELLOW: "黄灯",
    Status.GREEN: "绿灯",
    Status.DONE: "已完成",
}
_RANK = {Status.RED: 0, Status.YELLOW: 1, Status.NOT_STARTED: 2, Status.GREEN: 3, Status.DONE: 4}
# How stacked bars read best: done first reads as "how far along", the worst at the right.
BAR_ORDER = [Status.DONE, Status.GREEN, Status.YELLOW, Status.RED, Status.NOT_STARTED]

LOWER_IS_BETTER = {"<=", "<"}


@dataclass(frozen=True)
class StatusRule:
    """The light's thresholds; localities differ, so every number here is the plan's data.

    How far behind a target is ("the shortfall") is measured either in percentage points of the
    target (basis "points": 序时进度 − completion; Yinchuan) or relative to 序时进度 (basis
    "relative": (序时进度 − completion) / 序时进度 × 100; Sanya). Then green up to `green_band`,
    yellow up to `yellow_band`, red beyond. Defaults: points, green 0, yellow 10.
    """

    mode: str = "day"  # "day" or "month"
    yellow_band: float = 10.0  # shortfall still counted as yellow
    green_band: float = 0.0  # shortfall still counted as green (Yinchuan: 10 points)
    basis: str = "points"  # "points" or "relative"

    def shortfall(self, schedule: float, gap: float) -> float:
        if self.basis == "relative":
            return 100.0 * gap / schedule if schedule > 0 else 0.0
        return gap

    def light(self, schedule: float, gap: float) -> Status:
        """Green, yellow or red for a gap (序时进度 − completion) under these bands."""
        shortfall = self.shortfall(schedule, gap)
        if shortfall <= max(self.green_band, 0.0):
            return Status.GREEN
        return Status.YELLOW if shortfall <= self.yellow_band else Status.RED


DEFAULT_RULE = StatusRule()


@dataclass(frozen=True)
class Evaluation:
    status: Status
    schedule: float  # 序时进度, percent
    completion: float | None  # percent of target, None when nothing is known
    gap: float | None  # 序时进度 − completion, percentage points (positive = behind)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def schedule_progress(start: dt.date, end: dt.date, on: dt.date, mode: str = "day") -> float:
    """序时进度 in percent (0–100) of the period [start, end] on the date `on`.

    An inverted period (bad data) reads as 0 before its start and 100 after: one wrong row must
    not take a whole page down; the services refuse such dates on save.
    """
    if on < start:
        return 0.0
    if on >= end:
        return 100.0
    if mode == "month":
        total = _month_index(end) - _month_index(start) + 1
        elapsed = _month_index(on) - _month_index(start)
        return round(100.0 * elapsed / total, 2)
    total_days = (end - start).days + 1
    return round(100.0 * ((on - start).days + 1) / total_days, 2)


def is_lower_better(comparator: str | None, target: float | None) -> bool:
    """'At most' targets and 'must not happen' (= 0) targets are met by staying within a bound."""
    return comparator in LOWER_IS_BETTER or (comparator == "=" and target == 0)


def completion_percent(
    *,
    kind: str,
    comparator: str | None,
    target: float | None,
    baseline: float | None = None,
    value: float | None = None,
    percent: float | None = None,
) -> float | None:
    """How far along the target is, in percent of the target (may exceed 100)."""
    if value is not None and target is not None and kind in {"quantity", "ratio", "ledger"}:
        if is_lower_better(comparator, target):
            return 100.0 if within_bound(comparator, target, value) else 0.0
        if baseline is not None and target != baseline:
            return round(100.0 * (value - baseline) / (target - baseline), 2)
        if target == 0:
            return 100.0 if value >= 0 else 0.0
        return round(100.0 * value / target, 2)
    if percent is not None:
        return float(percent)
    return None


def within_bound(comparator: str | None, target: float, value: float) -> bool:
    if comparator == "<":
        return value < target
    if comparator == "=":
        return value == target
    return value <= target


def is_met(
    *, kind: str, comparator: str | None, target: float | None, value: float | None, percent: float | None
) -> bool:
    """Whether a 'reach N' target has been reached (lower-is-better targets are judged at the end)."""
    if value is not None and target is not None and kind in {"quantity", "ratio", "ledger"}:
        if comparator == ">":
            return value > target
        return value >= target
    return percent is not None and percent >= 100


def evaluate(
    *,
    on: dt.date,
    start: dt.date,
    end: dt.date,
    kind: str,
    comparator: str | None,
    target: float | None,
    baseline: float | None = None,
    value: float | None = None,
    percent: float | None = None,
    rule: StatusRule = DEFAULT_RULE,
) -> Evaluation:
    """Status of one target on a date, from its latest accepted figure (value and/or percent)."""
    schedule = schedule_progress(start, end, on, rule.mode)
    has_figure = value is not None or percent is not None
    comp = completion_percent(
        kind=kind, comparator=comparator, target=target, baseline=baseline, value=value, percent=percent
    )

    if is_lower_better(comparator, target) and target is not None:
        if value is None:
            status = Status.RED if on > end else Status.NOT_STARTED
            return Evaluation(status, schedule, None, None)
        if not within_bound(comparator, target, value):
            return Evaluation(Status.RED, schedule, comp, None)
        return Evaluation(Status.DONE if on > end else Status.GREEN, schedule, comp, None)

    if has_figure and is_met(kind=kind, comparator=comparator, target=target, value=value, percent=percent):
        return Evaluation(Status.DONE, schedule, comp, round(schedule - (comp or 100.0), 2))
    if on < start:
        return Evaluation(Status.NOT_STARTED, schedule, comp, None)
    if on > end:
        return Evaluation(Status.RED, schedule, comp, round(schedule - (comp or 0.0), 2))
    known = comp if comp is not None else 0.0
    gap = round(schedule - known, 2)
    status = rule.light(schedule, gap)
    if comp is None and status is not Status.RED:
        return Evaluation(Status.NOT_STARTED, schedule, None, gap)
    return Evaluation(status, schedule, comp, gap)
