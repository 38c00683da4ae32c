"""Chinese working days: the administrator's table first, then the chinese_calendar package.

Order of authority for a date: a CalendarDay row (what the administrator entered); else, in a
year the administrator marked complete, Monday–Friday; else the package (State Council notices
up to its release). A year that neither knows fails loudly — never a silent Monday–Friday guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import ApplicationError

# A span during which a clock stands still (听证、专家评审、公示、补正 …): both ends included.
Interval = tuple[dt.date, dt.date]


# Registers that store durations counted on the calendar: called with the first changed day.
_LISTENERS: list = []


def when_calendar_changes(callback):
    """Register `callback(first_day)`; apps call it from their `ready()` (approvals recomputes cases)."""
    _LISTENERS.append(callback)
    return callback


def calendar_changed(first_day: dt.date) -> None:
    """The administrator changed the calendar from `first_day` on: every listener catches up."""
    for callback in _LISTENERS:
        callback(first_day)


class CalendarMissing(ApplicationError):
    pass


class WorkCalendar:
    """Answers for a span of dates with two queries, however many days are asked about."""

    def __init__(self, start: dt.date, end: dt.date):
        from .models import CalendarDay, CalendarYear

        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday", "name")
        self.overrides = {day: worked for day, worked, _ in rows}
        self.names = {day: name for day, _, name in rows}
        self.complete_years = set(
            CalendarYear.objects.filter(year__gte=start.year, year__lte=end.year, complete=True)
            .values_list("year", flat=True)
        )

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.complete_years:
            return day.weekday() < 5
        import chinese_calendar

        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarMissing(
                f"工作日历暂无{day.year}年的数据：请管理员在“工作日历”中录入{day.year}年的节假日和调休安排"
                "并标记为已完整维护。",
                field="calendar",
            ) from None

    def describe(self, day: dt.date) -> str:
        """Why the day is or is not worked: 工作日, 周末, a holiday's name, or a make-up day's."""
        if day in self.overrides:
            return self.names[day] or ("上班" if self.overrides[day] else "休息")
        worked = self.is_workday(day)
        weekend = day.weekday() >= 5
        if day.year not in self.complete_years:
            import chinese_calendar

            _, name = chinese_calendar.get_holiday_detail(day)
            label = next((h.chinese for h in chinese_calendar.Holiday if h.value == name), "")
            if label:
                return f"{label}调休上班" if worked else label
        if worked:
            return "调休上班" if weekend else "工作日"
        return "周末" if weekend else "休息"


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day strictly after `start` (the day of the act does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    # Generous window: 3× the days plus the longest holiday run covers every real calendar.
    calendar = WorkCalendar(start, start + dt.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have elapsed after `start` by `end`."""
    if end <= start:
        return 0
    calendar = WorkCalendar(start, end)
    return sum(calendar.is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))


def _suspended(day: dt.date, intervals: Sequence[Interval]) -> bool:
    return any(start <= day <= end for start, end in intervals)


def span_calendar(start: dt.date, end: dt.date) -> WorkCalendar:
    """One calendar for a whole batch of clocks (an import, a recomputation): two queries in all."""
    return WorkCalendar(start, end)


def nth_workday_after(start: dt.date, days: int, *, suspended: Sequence[Interval] = (),
                      calendar: WorkCalendar | None = None) -> dt.date:
    """The `days`-th working day strictly after `start`, not counting days inside `suspended`
    (so each working day a suspension takes pushes the date one working day on). 0 → `start`."""
    if days < 0:
        raise ValueError("days must be >= 0")
    longest = max(((e - s).days + 1 for s, e in suspended), default=0)
    calendar = calendar or WorkCalendar(start, start + dt.timedelta(days=days * 3 + 30 + longest * 2))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day) and not _suspended(day, suspended):
            counted += 1
    return day


def workdays_used(start: dt.date, end: dt.date, *, suspended: Sequence[Interval] = (),
                  calendar: WorkCalendar | None = None) -> int:
    """Working days in (start, end] outside `suspended`: a clock's elapsed working days."""
    if end <= start:
        return 0
    calendar = calendar or WorkCalendar(start, end)
    return sum(1 for i in range(1, (end - start).days + 1)
               if calendar.is_workday(day := start + dt.timedelta(days=i)) and not _suspended(day, suspended))


@dataclass(frozen=True)
class ClockDay:
    day: dt.date
    counted: bool
    number: int  # the running count of working days (0 while nothing is counted yet)
    reason: str  # 工作日, 周末, 国庆节, 国庆节调休上班, 中止：专家评审 …


def explain(start: dt.date, end: dt.date, *, suspended: Iterable[tuple[Interval, str]] = ()) -> list[ClockDay]:
    """Each day in (start, end] and whether the clock counted it, with the reason (the case page)."""
    spans = list(suspended)
    calendar = WorkCalendar(start, max(end, start))
    days, number = [], 0
    for i in range(1, (end - start).days + 1):
        day = start + dt.timedelta(days=i)
        kind = next((label for (s, e), label in spans if s <= day <= e), None)
        worked = calendar.is_workday(day)
        reason = calendar.describe(day)
        if kind is not None:
            days.append(ClockDay(day, False, number, f"中止：{kind}（{reason}）"))
            continue
        number += worked
        days.append(ClockDay(day, worked, number, reason))
    return days
