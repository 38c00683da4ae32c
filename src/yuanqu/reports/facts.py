"""How the bulletin and the exports word a target's facts (plans.selectors.target_facts)."""

from __future__ import annotations

from decimal import Decimal

from yuanqu.plans.models import Target
from yuanqu.plans.selectors import TargetFacts


def num(value) -> str:
    """150.0000 → "150", 12.50 → "12.5"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    text = format(Decimal(value).normalize(), "f")
    return text


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def figure_display(target: Target, facts: TargetFacts) -> str:
    """The latest figure as the target reads it: a bound metric, counted ledger items, else the report."""
    if target.metric:
        return f"{num(facts.metric_value)}{target.unit}" if facts.metric_value is not None else "—"
    ledger = facts.ledger
    if target.kind == Target.Kind.LEDGER and ledger and ledger["items_total"]:
        return f"{ledger['items_done'] or 0}/{ledger['items_total']}项"
    report = facts.report
    if report is None:
        return "—"
    if report.value is not None:
        return f"{num(report.value)}{target.unit}"
    if report.percent is not None:
        return f"完成{num(report.percent)}%"
    return "—"
