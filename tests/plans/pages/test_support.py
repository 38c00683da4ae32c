"""Pure helpers behind the pages: report months and the marking of target spans in the plan text."""

import datetime as dt

import pytest

from yuanqu.core.periods import default_period, report_months
from yuanqu.plans.models import Plan
from yuanqu.plans.pages_support import highlight


@pytest.mark.parametrize(
    ("plan_year", "today", "months", "default"),
    [
        (2025, dt.date(2025, 1, 20), 1, dt.date(2025, 1, 1)),  # January: this month, not last year's December
        (2025, dt.date(2025, 6, 3), 6, dt.date(2025, 5, 1)),  # the month just ended
        (2024, dt.date(2025, 1, 5), 12, dt.date(2024, 12, 1)),  # last year's plan: its December
        (2026, dt.date(2025, 12, 31), 0, None),  # a plan whose year has not begun
    ],
)
def test_report_months_and_the_default_period(plan_year, today, months, default):
    plan = Plan(year=plan_year)
    assert len(report_months(plan.year, today)) == months
    assert default_period(plan.year, today) == default


def test_highlight_marks_spans_relative_to_an_offset_and_merges_overlaps():
    text = "0123456789abcdef"
    section = text[4:14]  # "456789abcd"
    pieces = highlight(section, [(6, 8, "a"), (7, 10, "b"), (12, 20, "c"), (0, 2, "outside"), (None, 3, "x")],
                       offset=4)
    assert pieces == [
        {"text": "45", "ids": []},
        {"text": "6789", "ids": ["a", "b"]},
        {"text": "ab", "ids": []},
        {"text": "cd", "ids": ["c"]},  # clipped to the section's end
    ]
    assert "".join(p["text"] for p in pieces) == section


def test_highlight_without_spans_returns_the_text_whole():
    assert highlight("原文", []) == [{"text": "原文", "ids": []}]
