"""Months and periods of a plan year: which months may be reported, which one is due, month ends."""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(day: dt.date) -> dt.date:
    """The last day of the month `day` falls in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def report_months(year: int, on: dt.date) -> list[dt.date]:
    """Months of a plan year a report may be filed for on `on`: none in the future."""
    if year > on.year:
        return []
    last = 12 if year < on.year else on.month
    return [dt.date(year, month, 1) for month in range(1, last + 1)]


def default_period(year: int, on: dt.date) -> dt.date | None:
    """Monthly returns are filed for the month just ended; in January, for January itself."""
    months = report_months(year, on)
    if not months:
        return None
    if year < on.year or len(months) == 1:
        return months[-1]
    return months[-2]
