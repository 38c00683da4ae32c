"""Chinese working days: the administrator's table first, then the chinese_calendar package.

Order of authority for a date: a CalendarDay row (what the administrator entered); else, in a
year the administrator marked complete, Monday–Friday; else the package (State Council notices
up to its release). A year that neither knows fails loudly — never a silent Monday–Friday guess.
"""

from __future__ import annotations

import datetime as dt

from .errors import ApplicationError


class CalendarMissing(ApplicationError):
    pass


class WorkCalendar:
    """Answers for a span of dates with two queries, however many days are asked about."""

    def __init__(self, start: dt.date, end: dt.date):
        from .models import CalendarDay, CalendarYear

        self.overrides = dict(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        )
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
