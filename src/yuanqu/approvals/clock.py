"""A case's clock: the order of its dates, its suspension intervals written as text, and the
working-day durations stored on it. The calendar arithmetic itself is core.calendar's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from yuanqu.core.calendar import Interval, WorkCalendar, explain, nth_workday_after, workdays_used
from yuanqu.core.errors import ApplicationError

from .models import END_EVENTS, START_EVENTS, SuspensionKind, days_field

# The case's dates in the order they happen, with their labels.
EVENTS = [("received_on", "收件日期"), ("correction_notice_on", "补正告知日期"),
          ("correction_done_on", "补正完成日期"), ("accepted_on", "受理日期"), ("decided_on", "办结日期"),
          ("delivered_on", "送达日期")]
LABELS = dict(EVENTS)
# A later date that needs an earlier one (no decision without acceptance …).
NEEDS = {"correction_done_on": "correction_notice_on", "decided_on": "accepted_on", "delivered_on": "decided_on"}

KINDS = {str(label): value for value, label in SuspensionKind.choices}
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_ENTRY = re.compile(rf"^(?P<kind>[^\d\s:：]+)\s*[:：]?\s*(?P<start>{_DATE})\s*(?:至|到|~|～|—|–)\s*(?P<end>{_DATE})$")
_SEPARATORS = re.compile(r"[；;\n]+")
FIELD = "suspensions_text"


@dataclass(frozen=True)
class Pause:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return str(SuspensionKind(self.kind).label)

    def __str__(self) -> str:
        return f"{self.label} {self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


def _date(text: str) -> dt.date:
    y, m, d = (int(x) for x in re.findall(r"\d+", text))
    return dt.date(y, m, d)


def parse_pauses(text: str) -> list[Pause]:
    """“专家评审 2026-03-04至2026-03-09；公示 2026-03-10~2026-03-16” → pauses in date order.
    Raises ApplicationError naming the entry that cannot be read."""
    pauses = []
    for entry in (e.strip() for e in _SEPARATORS.split(text or "")):
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if not match:
            raise ApplicationError(f"中止时段“{entry}”应写作“类型 开始日期至结束日期”，如“专家评审 2026-03-04至2026-03-09”。",
                                   field=FIELD)
        kind = KINDS.get(match["kind"])
        if kind is None:
            raise ApplicationError(f"中止时段“{entry}”的类型“{match['kind']}”不可用（可选：{'、'.join(KINDS)}）。",
                                   field=FIELD)
        try:
            start, end = _date(match["start"]), _date(match["end"])
        except ValueError:
            raise ApplicationError(f"中止时段“{entry}”中的日期不存在。", field=FIELD) from None
        if end < start:
            raise ApplicationError(f"中止时段“{entry}”的结束日期早于开始日期。", field=FIELD)
        pauses.append(Pause(kind, start, end))
    return sorted(pauses, key=lambda p: (p.start, p.end, p.kind))


def format_pauses(pauses: list[Pause]) -> str:
    return "；".join(str(p) for p in sorted(pauses, key=lambda p: (p.start, p.end, p.kind)))


def check_dates(values: dict, today: dt.date) -> None:
    """The events in order, each needing the one before it, none in the future; refusals name the field."""
    if not values.get("received_on"):
        raise ApplicationError("请填写收件日期。", field="received_on")
    for name, needed in NEEDS.items():
        if values.get(name) and not values.get(needed):
            raise ApplicationError(f"填写了{LABELS[name]}，须先填写{LABELS[needed]}。", field=needed)
    present = [(name, values[name]) for name, _ in EVENTS if values.get(name)]
    for (early, a), (late, b) in zip(present, present[1:], strict=False):
        if a > b:
            raise ApplicationError(f"{LABELS[early]}（{a:%Y-%m-%d}）不能晚于{LABELS[late]}（{b:%Y-%m-%d}）。",
                                   field=early)
    for name, day in present:
        if day > today:
            raise ApplicationError(f"{LABELS[name]}（{day:%Y-%m-%d}）不能晚于今天。", field=name)


def check_pauses(values: dict, pauses: list[Pause], today: dt.date) -> None:
    """Every suspension lies within the case: from receipt to its last event (today while open)."""
    first = values["received_on"]
    last = values.get("delivered_on") or values.get("decided_on")
    for pause in pauses:
        if pause.start < first or pause.end > (last or today):
            until = f"{LABELS['delivered_on' if values.get('delivered_on') else 'decided_on']} {last:%Y-%m-%d}" \
                if last else f"今天 {today:%Y-%m-%d}"
            raise ApplicationError(
                f"中止时段“{pause}”不在办件期间内（收件日期 {first:%Y-%m-%d} 至{until}）。", field=FIELD)


def intervals(values: dict, pauses: list[Pause], start: str) -> list[Interval]:
    """What the clock from `start` leaves out: the suspensions, and for a clock from receipt the
    time the applicant took to correct the materials (补正告知 to 补正完成)."""
    spans = [(p.start, p.end) for p in pauses]
    if start == "received" and values.get("correction_notice_on") and values.get("correction_done_on"):
        spans.append((values["correction_notice_on"] + dt.timedelta(days=1), values["correction_done_on"]))
    return spans


def labelled_intervals(values: dict, pauses: list[Pause], start: str) -> list[tuple[Interval, str]]:
    spans = [((p.start, p.end), p.label) for p in pauses]
    if start == "received" and values.get("correction_notice_on") and values.get("correction_done_on"):
        spans.append(((values["correction_notice_on"] + dt.timedelta(days=1), values["correction_done_on"]),
                      "补正（申请人补正材料）"))
    return spans


def span_of(values: dict) -> tuple[dt.date, dt.date]:
    """The dates a case's clocks read: from receipt to a year past its last event (a due date's room)."""
    days = [values[name] for name, _ in EVENTS if values.get(name)]
    return min(days), max(days) + dt.timedelta(days=400)


def compute(values: dict, pauses: list[Pause], promised_days: int, calendar: WorkCalendar | None = None) -> dict:
    """The stored figures of a case: the due date, working days of each clock, days suspended, late."""
    calendar = calendar or WorkCalendar(*span_of(values))
    out: dict = {days_field(s, e): None for s in START_EVENTS for e in END_EVENTS}
    for start in START_EVENTS:
        for end in END_EVENTS:
            a, b = values.get(f"{start}_on"), values.get(f"{end}_on")
            if a and b:
                out[days_field(start, end)] = workdays_used(a, b, suspended=intervals(values, pauses, start),
                                                            calendar=calendar)
    accepted = values.get("accepted_on")
    out["due_on"] = nth_workday_after(accepted, promised_days, suspended=intervals(values, pauses, "accepted"),
                                      calendar=calendar) if accepted else None
    stop = values.get("decided_on")
    out["suspended_days"] = (workdays_used(accepted, stop, calendar=calendar) - out["days_accepted_decided"]
                             if accepted and stop else 0)
    out["late"] = (stop > out["due_on"]) if stop and out["due_on"] else None
    return out


def explain_case(values: dict, pauses: list[Pause], start: str, end: str, today: dt.date):
    """The clock from `start` to `end` (or today while open), day by day, for the case page."""
    a = values.get(f"{start}_on")
    if not a:
        return []
    b = values.get(f"{end}_on") or today
    return explain(a, b, suspended=labelled_intervals(values, pauses, start))
