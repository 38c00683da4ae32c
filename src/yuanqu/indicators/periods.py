"""Periods of an indicator as people write them: 2026, 2026年; 2026Q1, 2026年第1季度; 2026-03, 2026年3月.

Stored as one canonical key ("2026", "2026-Q1", "2026-03") that sorts in time order within a kind.
Pure Python: the import, the form and the API parse the same way.
"""

from __future__ import annotations

import datetime as dt
import re

YEAR, QUARTER, MONTH = "year", "quarter", "month"

_YEAR = re.compile(r"(\d{4})\s*年?(?:度)?")
_QUARTER = re.compile(r"(\d{4})\s*(?:年\s*)?(?:[-/.]?\s*[Qq]\s*([1-4])|第?\s*([1-4一二三四])\s*季度?)")
_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?")
_CN = {"一": "1", "二": "2", "三": "3", "四": "4"}
EXAMPLES = {YEAR: "2026", QUARTER: "2026Q1 或 2026年第1季度", MONTH: "2026-03 或 2026年3月"}


class PeriodError(ValueError):
    pass


def parse_period(text, kind: str) -> str:
    """The canonical key of `text` for an indicator counted by `kind`; PeriodError in Chinese."""
    raw = str(text if text is not None else "").strip()
    if isinstance(text, float) and text.is_integer():
        raw = str(int(text))
    key = None
    if kind == YEAR and (m := _YEAR.fullmatch(raw)):
        key = m.group(1)
    elif kind == QUARTER and (m := _QUARTER.fullmatch(raw)):
        key = f"{m.group(1)}-Q{m.group(2) or _CN.get(m.group(3), m.group(3))}"
    elif kind == MONTH and (m := _MONTH.fullmatch(raw)) and 1 <= int(m.group(2)) <= 12:
        key = f"{m.group(1)}-{int(m.group(2)):02d}"
    if key is None or not 2000 <= int(key[:4]) <= 2100:
        raise PeriodError(f"“{raw}”不是有效的期间（例如 {EXAMPLES.get(kind, '2026')}）")
    return key


def period_start(key: str) -> dt.date:
    year = int(key[:4])
    if "-Q" in key:
        return dt.date(year, 3 * int(key[-1]) - 2, 1)
    if "-" in key:
        return dt.date(year, int(key[5:7]), 1)
    return dt.date(year, 1, 1)


def period_label(key: str) -> str:
    if "-Q" in key:
        return f"{key[:4]}年第{key[-1]}季度"
    if "-" in key:
        return f"{key[:4]}年{int(key[5:7])}月"
    return f"{key}年"
