"""Reads with rules: status of many targets at once, in a fixed number of queries."""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.history import snapshot
from yuanqu.core.metrics import get_metric
from yuanqu.core.periods import month_end
from yuanqu.org.models import OrgUnit

from . import status as lights
from .models import LedgerItem, MetricSnapshot, Plan, ProgressReport, Target, TargetAdjustment

logger = logging.getLogger(__name__)


def _float(value) -> float | None:
    return None if value is None else float(value)


def latest_accepted_reports(target_ids: Iterable[int], on: dt.date) -> dict[int, ProgressReport]:
    """Per target, the accepted report of the latest period up to `on` (one query): the database
    numbers each target's reports newest first and returns the first, so only one report per
    target becomes an object (a year of monthly reports is twelve; 3.5× faster at 10,000 targets)."""
    reports = (
        ProgressReport.objects.filter(
            target_id__in=list(target_ids), review=ProgressReport.Review.ACCEPTED, period__lte=on
        )
        .annotate(newest=Window(RowNumber(), partition_by=[F("target_id")],
                                order_by=[F("period").desc(), F("version").desc()]))
        .filter(newest=1)
        .only("id", "target_id", "period", "version", "value", "percent")
    )
    return {report.target_id: report for report in reports}


def ledger_counts(target_ids: Iterable[int], on: dt.date | None = None) -> dict[int, dict]:
    """Per target: items that count (not cancelled), items done by `on`, and the sum done (one query)."""
    done = Q(ledger_items__status=LedgerItem.Status.DONE, ledger_items__deleted_at__isnull=True)
    if on is not None:
        done &= Q(ledger_items__completed_on__lte=on)
    live = Q(ledger_items__deleted_at__isnull=True) & ~Q(ledger_items__status=LedgerItem.Status.CANCELLED)
    rows = (
        Target.objects.filter(pk__in=list(target_ids))
        .annotate(
            items_total=Count("ledger_items", filter=live),
            items_done=Count("ledger_items", filter=done),
            amount_done=Sum("ledger_items__amount", filter=done),
        )
        .values("pk", "items_total", "items_done", "amount_done")
    )
    return {row["pk"]: row for row in rows}


def metric_values(targets: Iterable[Target], on: dt.date) -> MetricValues:
    """Values of metric-bound targets on a date.

    A past month reads the snapshot taken for it (sources may not keep history); the current
    month, or a month without a snapshot, is computed live. One query for snapshots plus one
    call per distinct metric, whatever the number of targets.
    """
    bound = [t for t in targets if t.metric]
    values = MetricValues()
    if not bound:
        return values
    if on < clock.today().replace(day=1):
        for snap in MetricSnapshot.objects.filter(target__in=bound, period=on.replace(day=1)):
            values[snap.target_id] = snap.value
    values.merge(live_metric_values([t for t in bound if t.pk not in values], on))
    return values


class MetricValues(dict):
    """Values by target id, and the targets whose metric could not be read (`unavailable`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable: set[int] = set()

    def merge(self, other: MetricValues) -> None:
        self.update(other)
        self.unavailable |= other.unavailable


def live_metric_values(targets: Iterable[Target], on: dt.date) -> MetricValues:
    """Compute bound targets' values now, one call per distinct metric.

    A metric that is no longer registered, parameters that no longer make sense, or a metric
    that raises make those targets' values unavailable (logged) instead of failing the page: one
    broken register must not take the plan's pages down with it.
    """
    by_metric: dict[str, list[Target]] = defaultdict(list)
    for t in targets:
        if t.metric:
            by_metric[t.metric].append(t)
    values = MetricValues()
    for name, group in by_metric.items():
        try:
            metric = get_metric(name)
        except ApplicationError:
            logger.warning("metric %s is not registered; %d targets show it as unavailable", name, len(group))
            values.unavailable.update(t.pk for t in group)
            continue
        readable, params = [], []
        for t in group:
            try:
                params.append(metric.clean_params(t.metric_params))
                readable.append(t)
            except ApplicationError as exc:
                logger.warning("target %s: parameters of metric %s refused: %s", t.pk, name, exc.message)
                values.unavailable.add(t.pk)
        if not readable:
            continue
        try:
            results = metric.compute_many(params, on)
        except Exception:  # a register's bug must not become every plan page's server error
            logger.exception("metric %s failed for %d targets", name, len(readable))
            values.unavailable.update(t.pk for t in readable)
            continue
        values.update({t.pk: v for t, v in zip(readable, results, strict=True)})
    return values


def evaluate_target(
    target: Target,
    *,
    on: dt.date,
    report: ProgressReport | None,
    ledger: dict | None,
    metric_value: Decimal | None = None,
):
    """Status of one target from already-fetched inputs (no queries)."""
    target_value = _float(target.target_value)
    value = _float(report.value) if report else None
    percent = _float(report.percent) if report else None
    if target.metric:
        # Bound: the figure is read from the register, never typed; reports only add percent/narrative.
        value = _float(metric_value)
    if target.kind == Target.Kind.LEDGER and ledger is not None:
        # A ledger target counts its items: its goal is the stated number, else all its items.
        target_value = target_value if target_value is not None else float(ledger["items_total"] or 0)
        value = float(ledger["items_done"] or 0) if ledger["items_total"] else value
        if target_value == 0:
            target_value = None
    return lights.evaluate(
        on=on,
        start=target.period_start,
        end=target.period_end,
        kind=target.kind,
        comparator=target.comparator or None,
        target=target_value,
        baseline=_float(target.baseline),
        value=value,
        percent=percent,
        rule=target.plan.status_rule(),
    )


@dataclass(frozen=True)
class TargetFacts:
    """A target's evaluation on a date and the inputs it came from (for pages, bulletins, exports)."""

    evaluation: lights.Evaluation
    report: ProgressReport | None
    ledger: dict | None
    metric_value: Decimal | None
    metric_unavailable: bool = False

    @property
    def status(self) -> lights.Status:
        return self.evaluation.status


def target_facts(targets: Iterable[Target], on: dt.date) -> dict[int, TargetFacts]:
    """Per target id, its facts on `on` (targets need `plan` selected): one query for reports, one
    for ledgers and one per distinct metric, however many targets."""
    targets = list(targets)
    if not targets:
        return {}
    reports = latest_accepted_reports([t.pk for t in targets], on)
    ledger_ids = [t.pk for t in targets if t.kind == Target.Kind.LEDGER]
    ledgers = ledger_counts(ledger_ids, on) if ledger_ids else {}
    metrics = metric_values(targets, on)
    facts = {}
    for t in targets:
        report, ledger, metric_value = reports.get(t.pk), ledgers.get(t.pk), metrics.get(t.pk)
        evaluation = evaluate_target(t, on=on, report=report, ledger=ledger, metric_value=metric_value)
        facts[t.pk] = TargetFacts(evaluation, report, ledger, metric_value, t.pk in metrics.unavailable)
    return facts


def evaluate_targets(targets: Iterable[Target], on: dt.date) -> dict[int, lights.Evaluation]:
    """Evaluations keyed by target id; targets must come with `plan` selected (select_related)."""
    return {pk: f.evaluation for pk, f in target_facts(targets, on).items()}


def stored_evaluations(targets: Iterable[Target]) -> dict[int, lights.Evaluation]:
    """The stored lights as evaluations, keyed by target id, for targets read after
    `stored.ensure_fresh` (no query)."""
    return {t.pk: lights.Evaluation(lights.Status(t.status), t.schedule, t.completion, t.gap) for t in targets}


def status_counts(evaluations: Iterable[lights.Evaluation]) -> Counter:
    return Counter(e.status for e in evaluations)


def section_overview(plan: Plan, user, on: dt.date) -> list[dict]:
    """Each section with its visible targets' counts by status (a fixed number of queries): today's
    one count query over the stored lights (plans.stored), another day's by evaluation."""
    from . import stored

    if on == clock.today():
        visible = Target.objects.visible_to(user).filter(plan=plan)
        stored.ensure_fresh(visible, on)
        found: dict[int, Counter] = defaultdict(Counter)
        for section_id, status, n in visible.order_by().values_list("section", "status").annotate(n=Count("pk")):
            found[section_id][lights.Status(status)] = n
        return [
            {
                "section": section,
                "total": sum(found[section.pk].values()),
                "counts": {s.value: found[section.pk].get(s, 0) for s in lights.Status},
                "worst": min(found[section.pk], key=lambda s: s.rank, default=None),
            }
            for section in plan.sections.all()
        ]
    sections = list(plan.sections.all())
    targets = list(Target.objects.visible_to(user).filter(plan=plan).select_related("plan").defer("plan__source_text"))
    evaluations = evaluate_targets(targets, on)
    by_section: dict[int, list[lights.Evaluation]] = defaultdict(list)
    for t in targets:
        by_section[t.section_id].append(evaluations[t.pk])
    rows = []
    for section in sections:
        evs = by_section.get(section.pk, [])
        counts = status_counts(evs)
        rows.append(
            {
                "section": section,
                "total": len(evs),
                "counts": {s.value: counts.get(s, 0) for s in lights.Status},
                "worst": min((e.status for e in evs), key=lambda s: s.rank, default=None),
            }
        )
    return rows


def evaluations_at(targets: list[Target], cutoffs: list[dt.date]) -> list[dict[int, lights.Evaluation]]:
    """Each target's evaluation at each cutoff (ascending), recomputed: the latest accepted report
    of a period up to the cutoff, ledger items done by then, metric values as of then.

    Reports and ledger items are fetched once for all targets and cutoffs; metric values once
    per cutoff (a past month reads its snapshot). Targets need `plan` selected.
    """
    if not targets or not cutoffs:
        return [{} for _ in cutoffs]
    ids = [t.pk for t in targets]
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(target_id__in=ids, review=ProgressReport.Review.ACCEPTED, period__lte=cutoffs[-1])
        .order_by("target_id", "period", "version")
        .only("id", "target_id", "period", "version", "value", "percent")
    ):
        reports[report.target_id].append(report)
    periods = {tid: [r.period for r in rows] for tid, rows in reports.items()}
    ledger_ids = [t.pk for t in targets if t.kind == Target.Kind.LEDGER]
    items: dict[int, list[tuple[str, dt.date | None]]] = {tid: [] for tid in ledger_ids}
    if ledger_ids:
        for target_id, status, completed_on in (
            LedgerItem.objects.alive().filter(target_id__in=ledger_ids).values_list("target_id", "status", "completed_on")
        ):
            items[target_id].append((status, completed_on))

    result = []
    for cutoff in cutoffs:
        metrics = metric_values(targets, cutoff)
        evaluations = {}
        for t in targets:
            report = None
            if t.pk in periods:
                # Sorted by (period, version): the last row on or before the cutoff is the latest
                # version of the latest period.
                index = bisect.bisect_right(periods[t.pk], cutoff)
                report = reports[t.pk][index - 1] if index else None
            ledger = None
            if t.pk in items:
                counted = [(st, day) for st, day in items[t.pk] if st != LedgerItem.Status.CANCELLED]
                done = sum(1 for st, day in counted if st == LedgerItem.Status.DONE and day and day <= cutoff)
                ledger = {"items_total": len(counted), "items_done": done, "amount_done": None}
            evaluations[t.pk] = evaluate_target(
                t, on=cutoff, report=report, ledger=ledger, metric_value=metrics.get(t.pk)
            )
        result.append(evaluations)
    return result


def status_history(target: Target, on: dt.date) -> list[tuple[dt.date, lights.Evaluation]]:
    """The status at each month end of the target's period up to `on` (the last cut at `on`)."""
    cutoffs = []
    month = target.period_start.replace(day=1)
    last = min(on, target.period_end)
    while month <= last:
        cutoffs.append(min(month_end(month), last))
        month = month_end(month) + dt.timedelta(days=1)
    return [(cutoff, evaluations[target.pk]) for cutoff, evaluations in zip(
        cutoffs, evaluations_at([target], cutoffs), strict=True
    )]


def pending_reviews(user):
    """The review queue: current versions awaiting review, oldest first (pages and exports)."""
    return (
        ProgressReport.objects.visible_to(user)
        .current()
        .filter(review=ProgressReport.Review.PENDING)
        .select_related("target__plan", "target__lead_unit", "target__section", "submitted_by").defer("target__plan__source_text")
        .order_by("submitted_at", "id")
    )


def pending_review_count(user) -> int:
    """How many reports wait for this user's review (the nav badge, and the queue after a review):
    the queue's own count; one query for those who review, none for the others."""
    if not getattr(user, "is_authenticated", False) or not user.can("plans.review_reports"):
        return 0
    return pending_reviews(user).order_by().count()


def current_plan(user, on: dt.date | None = None) -> Plan | None:
    """The active plan of this year if there is one, else the latest active plan the user sees."""
    on = on or clock.today()
    active = Plan.objects.visible_to(user).filter(status=Plan.Status.ACTIVE)
    return active.filter(year=on.year).first() or active.order_by("-year", "-id").first()


# ---------------------------------------------------------------- unit names to map (draft review)


@dataclass
class UnmappedName:
    """A unit name as written on some of a plan's targets that no unit answers to yet."""

    name: str
    targets: int = 0  # how many targets carry it
    as_lead: int = 0  # on how many it is the first lead unit
    candidates: tuple = ()  # the units it matched when it matched several


def unmapped_unit_names(targets: Iterable[Target], resolver=None) -> list[UnmappedName]:
    """The names the targets still carry unmapped, most used first, each with the units it matches
    now when it matches several (an alias added since may also resolve it: then one candidate).
    No query beyond the resolver's two (pass a `UnitResolver` to share it)."""
    from yuanqu.org.selectors import UnitResolver

    found: dict[str, UnmappedName] = {}
    for t in targets:
        leads = (t.as_written or {}).get("lead_units") or [None]
        for name in t.unmapped_units:
            row = found.setdefault(name, UnmappedName(name))
            row.targets += 1
            row.as_lead += name == leads[0]
    resolver = resolver or (UnitResolver() if found else None)
    for row in found.values():
        row.candidates = resolver.resolve(row.name).units
    return sorted(found.values(), key=lambda r: (-r.targets, r.name))


def adjustment_rows(adjustment) -> list[dict]:
    """An adjustment's proposal as people read it: for a change each field's label, value then
    (before, or the target's current value while pending) and proposed value; for a split each
    part. Units by name, in one query."""
    Kind = TargetAdjustment.Kind
    unit_ids = set()
    for values in [adjustment.changes, adjustment.before, *adjustment.parts]:
        for key in ("lead_unit", "cooperating_units"):
            v = values.get(key)
            unit_ids.update(v if isinstance(v, list) else [v] if v else [])
    if adjustment.kind == Kind.CHANGE and adjustment.status == TargetAdjustment.Status.PENDING:
        current = snapshot(adjustment.target, TargetAdjustment.CHANGEABLE)
        unit_ids.update(current.get("cooperating_units") or [])
        unit_ids.add(current.get("lead_unit"))
    else:
        current = adjustment.before
    names = dict(OrgUnit.objects.filter(pk__in=[u for u in unit_ids if u]).values_list("pk", "name"))

    def show(key, value) -> str:
        if value in (None, "", []):
            return "—"
        if key == "lead_unit":
            return names.get(value, f"#{value}")
        if key == "cooperating_units":
            return "、".join(names.get(v, f"#{v}") for v in value)
        return str(value)

    def label(key) -> str:
        return str(Target._meta.get_field(key).verbose_name)

    if adjustment.kind == Kind.SPLIT:
        return [{"number": i, **{k: show(k, part.get(k)) for k in part}} for i, part in enumerate(adjustment.parts, 1)]
    return [{"label": label(k), "before": show(k, current.get(k)), "after": show(k, v)}
            for k, v in adjustment.changes.items()]


def latest_report(target: Target, period: dt.date) -> ProgressReport | None:
    """The newest version of a month's report, with its reviewer and attachments (the correction
    form starts from it)."""
    return (
        ProgressReport.objects.filter(target=target, period=period)
        .select_related("reviewed_by").prefetch_related("attachments").order_by("-version").first()
    )


# What a correction may change, in the order the review queue lists it.
_COMPARED = ("value", "percent", "narrative", "problems", "next_steps")


def attach_version_changes(reports: list[ProgressReport]) -> list[ProgressReport]:
    """Give each report `version_changes`: what differs from the version before it (figure, text
    fields, attachments by name), [] for a first version. Two queries whatever the number."""
    later = [r for r in reports if r.version > 1]
    for r in reports:
        r.version_changes = []
    if not later:
        return reports
    condition = Q(pk__in=[])
    for r in later:
        condition |= Q(target_id=r.target_id, period=r.period, version=r.version - 1)
    previous = {
        (p.target_id, p.period, p.version): p
        for p in ProgressReport.objects.filter(condition).prefetch_related("attachments")
    }
    for r in later:
        before = previous.get((r.target_id, r.period, r.version - 1))
        if before is not None:
            r.version_changes = _differences(before, r)
    return reports


def _differences(before: ProgressReport, after: ProgressReport) -> list[dict]:
    from .display import num

    rows = []
    for name in _COMPARED:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            show = num if name in {"value", "percent"} else str
            rows.append({
                "label": str(ProgressReport._meta.get_field(name).verbose_name),
                "before": show(old) if old not in (None, "") else "—",
                "after": show(new) if new not in (None, "") else "—",
            })
    old_files = sorted(a.name for a in before.attachments.all())
    new_files = sorted(a.name for a in after.attachments.all())
    if old_files != new_files:
        rows.append({"label": "附件", "before": "、".join(old_files) or "—", "after": "、".join(new_files) or "—"})
    return rows


HISTORY_LIMIT = 300


def target_history(target: Target, reports: list[ProgressReport]) -> tuple[list[dict], list[dict]]:
    """A target's change history as people read it: (rows, groups). Rows are the readable records
    (core.history.describe_changes) of the target, its ledger items and its reports, newest first;
    groups put each report's submission and review together under its month and version, every
    other record alone. A fixed number of queries, however long the history."""
    from yuanqu.core.history import describe_changes, history_for_many

    rows = describe_changes(history_for_many([target, *target.ledger_items.all(), *reports])[:HISTORY_LIMIT])
    by_pk = {r.pk: r for r in reports}
    groups: list[dict] = []
    by_report: dict[int, dict] = {}
    for row in rows:
        record = row["record"]
        report = by_pk.get(record.object_id) if record.content_type.model_class() is ProgressReport else None
        if report is None:
            groups.append({"report": None, "rows": [row], "time": record.time})
            continue
        if report.pk not in by_report:
            by_report[report.pk] = {"report": report, "rows": [], "time": record.time,
                                    "title": f"{report.period.year}年{report.period.month}月进度报告 第{report.version}版"}
            groups.append(by_report[report.pk])
        by_report[report.pk]["rows"].insert(0, row)  # within a report: submitted, then reviewed
    return rows, groups
