"""How figures read in pages, exports and bulletins: one wording everywhere."""

from __future__ import annotations

from decimal import Decimal

from .models import Target
from .selectors import TargetFacts


def num(value, empty: str = "") -> str:
    """150.0000 → "150", 12.50 → "12.5"; floats to two places at most."""
    if value is None or value == "":
        return empty
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, Decimal | int):
        return format(Decimal(value).normalize(), "f")
    return str(value)


def pct(value) -> str:
    """A percentage: one decimal place, '—' when unknown."""
    return "—" if value is None else f"{float(value):.1f}%"


def figure_display(target: Target, facts: TargetFacts) -> str:
    """The latest figure as the target reads it: a bound metric, counted ledger items, else the report."""
    if target.metric:
        if facts.metric_unavailable:
            return "取数不可用"
        return f"{num(facts.metric_value)}{target.unit}" if facts.metric_value is not None else "—"
    ledger = facts.ledger
    if target.kind == Target.Kind.LEDGER and ledger and ledger["items_total"]:
        return f"{ledger['items_done'] or 0}/{ledger['items_total']}项"
    return report_figure(facts.report, target, percent_prefix="完成")


def report_figure(report, target: Target, percent_prefix: str = "") -> str:
    """A report's figure as the target reads it: the value with its unit, else the percent."""
    if report is None:
        return "—"
    if report.value is not None:
        return f"{num(report.value)}{target.unit}"
    if report.percent is not None:
        return f"{percent_prefix}{num(report.percent)}%"
    return "—"
