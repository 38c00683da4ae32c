"""Deadlines: a time phrase as written (6月底完成, 三季度末, 2026年3月) → an ISO date.

A phrase names the end of a month, a quarter, a half or the year; the date is the last day
of that period in the year the phrase names, else in the plan's year.  Without either the
date cannot be known and stays None (the phrase is still kept by the caller).  Ongoing work
(持续推进, 按进度推进, 长期坚持) has no date of its own.
"""

from __future__ import annotations

import calendar
import re

from ._text import small_cn_int

_MONTH = r"(?P<m>1[0-2]|0?[1-9]|\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR_PART = r"(?:(?P<y>20\d\d)\s*年(?:度)?)"
# One alternative per kind of period; the first that matches at the phrase's start wins.
DEADLINE_RE = re.compile(
    # a table's date column: 2027.6.30, 2027-06, 2027/6
    r"(?P<ny>20\d\d)\s*[./-]\s*(?P<nm>\d{1,2})(?:\s*[./-]\s*(?P<nd>\d{1,2}))?(?!\d)|"
    rf"{_YEAR_PART}?\s*(?:"
    rf"{_MONTH}\s*月(?:份)?(?:(?P<d>[1-3]?\d)\s*日|(?P<part>上旬|中旬|下旬|底|末|初))?"
    r"|(?P<q>[一二三四1-4])\s*季度(?:末|底)?"
    r"|(?P<half>上|下)半年"
    r"|(?P<yend>年底|年末|年内|全年)"
    r")"
    r"|(?P<y2>20\d\d)\s*年(?:底|末|内)?"
    r"|(?P<rel>今年|当年|本年度?|年底|年末|年内|全年|明年)"
)
# Work with no end date: it goes on all year (shown as ongoing).
ONGOING_RE = re.compile(r"持续|按进度|长期|常态化|久久为功|每(?:月|季度|年|半年|周)")
_PART_DAY = {"上旬": 10, "中旬": 20, "初": 10}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _iso(year: int, month: int, day: int | None = None) -> str | None:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    last = _last_day(year, month)
    if day is None:
        day = last
    if not 1 <= day <= last:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def resolve(phrase: str | None, year: int | None) -> str | None:
    """The ISO date a time phrase names, or None (no date, unknown year, or not a date such
    as 13月底)."""
    if not phrase:
        return None
    m = DEADLINE_RE.search(phrase)
    if m is None:
        return None
    if m.group("ny"):
        return _iso(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")) if m.group("nd") else None)
    if m.group("y2"):
        return _iso(int(m.group("y2")), 12)
    if m.group("rel"):
        if year is None:
            return None
        return _iso(year + 1 if m.group("rel") == "明年" else year, 12)
    y = int(m.group("y")) if m.group("y") else year
    if y is None:
        return None
    if m.group("m"):
        month = small_cn_int(m.group("m").lstrip("0") or "0")
        if month is None:
            return None
        day = m.group("d")
        part = m.group("part")
        return _iso(y, month, int(day) if day else _PART_DAY.get(part))
    if m.group("q"):
        q = small_cn_int(m.group("q"))
        return _iso(y, 3 * q) if q else None
    if m.group("half"):
        return _iso(y, 6 if m.group("half") == "上" else 12)
    return _iso(y, 12)  # 年底 / 年末 / 年内 / 全年 after a year


def is_invalid(phrase: str | None) -> bool:
    """Whether a phrase is written as a date that no calendar has (13月底, 2月30日): a mistake
    to report, not a phrase without a date.  A leap year stands in for an unnamed one, so
    2月29日 is only wrong where the phrase names a year that has no such day."""
    if not phrase:
        return False
    m = DEADLINE_RE.search(phrase)
    return m is not None and resolve(phrase, 2000) is None


def is_ongoing(phrase: str | None) -> bool:
    return bool(phrase) and ONGOING_RE.search(phrase) is not None
