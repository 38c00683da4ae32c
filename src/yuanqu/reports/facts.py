"""What the bulletin and the exports say about each target on a date: its status and the figure
behind it. Built from the plans selectors' bulk reads, so the query count does not grow with
the number of targets (one query for reports, one for ledgers, one for metric snapshots)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yuanqu.plans import selectors
from yuanqu.plans import status as engine
from yuanqu.plans.models import ProgressReport, Target


@dataclass(frozen=True)
class TargetFacts:
    evaluation: engine.Evaluation
    report: ProgressReport | None
    ledger: dict | None
    metric_value: Decimal | None

    @property
    def status(self) -> engine.Status:
        return self.evaluation.status


def target_facts(targets: Iterable[Target], on: dt.date) -> dict[int, TargetFacts]:
    """Per target id, its evaluation on `on` and the inputs it came from (targets need `plan` selected)."""
    targets = list(targets)
    if not targets:
        return {}
    ids = [t.pk for t in targets]
    reports = selectors.latest_accepted_reports(ids, on)
    ledger_ids = [t.pk for t in targets if t.kind == Target.Kind.LEDGER]
    ledgers = selectors.ledger_counts(ledger_ids, on) if ledger_ids else {}
    metrics = selectors.metric_values(targets, on)
    facts = {}
    for t in targets:
        report, ledger, metric_value = reports.get(t.pk), ledgers.get(t.pk), metrics.get(t.pk)
        evaluation = selectors.evaluate_target(t, on=on, report=report, ledger=ledger, metric_value=metric_value)
        facts[t.pk] = TargetFacts(evaluation, report, ledger, metric_value)
    return facts


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
