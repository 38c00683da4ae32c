"""Numbers, dates and months as people type them: one parser each, one wording of every refusal.

Services, forms, the API and the spreadsheet import share these, so "应为数字" reads the same
wherever a figure is typed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import ApplicationError

# Years 1000-9999: "0000-01" is no date at all (Python's dates start at year 1). Too early or too
# late for a report is the service's to say ("未来月份"), in its own words.
MONTH_PATTERN = r"^([1-9]\d{3})-(0[1-9]|1[0-2])$"
MONTH_RE = re.compile(MONTH_PATTERN)


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def to_decimal(raw, field_label: str, field: str | None = None) -> Decimal | None:
    """Parse a number typed by a person; a clear message names the field when it is not one."""
    if _blank(raw):
        return None
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(f"{field_label}应为数字，收到“{raw}”。", field=field or field_label) from None
    if not value.is_finite():
        raise ApplicationError(f"{field_label}应为有限的数字。", field=field or field_label)
    return value


# Django's DecimalValidator and DRF's DecimalField refuse too long a number with these codes.
DIGIT_CODES = frozenset({"max_digits", "max_whole_digits", "max_decimal_places"})


def too_many_digits(field_label: str, value, *, max_digits: int, decimal_places: int) -> str:
    """The one wording for a number longer than its column holds (model validation and the API)."""
    whole = max_digits - decimal_places
    shown = f"“{value}”" if value not in (None, "") else ""
    return (f"{field_label}{shown}超出可填写的范围：整数部分最多{whole}位、小数最多{decimal_places}位，"
            "请核对数值和计量单位（如以万元、亿元计）后重新填写。")


def to_date(raw, field_label: str, field: str | None = None) -> dt.date | None:
    """Parse a date typed as YYYY-MM-DD; a clear message names the field when it is not one."""
    if _blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ApplicationError(
            f"{field_label}“{raw}”不是有效日期，应为 YYYY-MM-DD。", field=field or field_label
        ) from None


def month_start(value, field_label: str = "报告月份", field: str = "period") -> dt.date:
    """Accept a date or 'YYYY-MM' / 'YYYY-MM-DD' and return the first of that month."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        parts = [int(p) for p in text.split("-")[:2]]
        return dt.date(parts[0], parts[1], 1)
    except (ValueError, IndexError):
        raise ApplicationError(f"{field_label}“{text}”格式不正确，应为 YYYY-MM。", field=field) from None
