"""Reads with rules: gathering a run's inputs into a frozen snapshot, and the pages' reads.

The snapshot holds every input the engine used, as it stood on the run's cut-off date, so a run
can be recomputed and explained later from the run alone (engine.assess_snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Prefetch, Q
from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.core.periods import month_end
from yuanqu.org.models import OrgUnit
from yuanqu.plans import status as lights
from yuanqu.plans.models import Plan, ProgressReport, Target
from yuanqu.plans.selectors import evaluate_target, ledger_counts, metric_values
from yuanqu.plans.status import Status

from . import engine
from .models import BonusItem, CommonScore, Run, RunResult, Scheme, SchemeGroup, Veto

SNAPSHOT_FORMAT = 1
SupervisionStats = dict[int, dict]


def plan_for_year(year: int) -> Plan:
    """The plan a year's assessment scores: the active one, else the latest closed one."""
    plans = Plan.objects.filter(year=year, status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED])
    plan = plans.filter(status=Plan.Status.ACTIVE).first() or plans.order_by("-id").first()
    if plan is None:
        raise ApplicationError(f"{year}年没有执行中或已关闭的年度计划，无法考核。", field="year")
    return plan


def load_supervision_stats(*, year: int, on: dt.date) -> tuple[SupervisionStats, str]:
    """督查督办 statistics per lead unit, and a note when the supervision app cannot provide them."""
    try:
        from yuanqu.supervision.selectors import unit_supervision_stats
    except ImportError:
        return {}, "督查督办模块不可用，本次未计催办和督办逾期扣分"
    return unit_supervision_stats(year=year, on=on), ""


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    return months


def _short(title: str, size: int = 20) -> str:
    return title if len(title) <= size else title[:size] + "…"


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _known_reports(ids: list[int], on: dt.date) -> list[tuple]:
    """Every report version of the targets submitted by `on`, with its review as it stood on `on`.

    Rows: (target_id, period, version, review, submitted, row id). A review made after `on` was
    not known on the cut-off, so such a report counts as still pending, whatever it became later.
    """
    rows = ProgressReport.objects.filter(target_id__in=ids, period__lte=on).values_list(
        "target_id", "period", "version", "review", "submitted_at", "reviewed_at", "pk"
    ).order_by("target_id", "period", "version")
    known = []
    for target_id, period, version, review, submitted_at, reviewed_at, pk in rows:
        submitted = _local_date(submitted_at)
        if submitted is None or submitted > on:
            continue
        reviewed = _local_date(reviewed_at)
        if review != ProgressReport.Review.PENDING and (reviewed is None or reviewed > on):
            review = ProgressReport.Review.PENDING
        known.append((target_id, period, version, review, submitted, pk))
    return known


def accepted_reports(known: list[tuple]) -> dict[int, ProgressReport]:
    """Per target, the accepted report of the latest period (latest version) among `known` (one query)."""
    latest: dict[int, int] = {}
    for target_id, _period, _version, review, _submitted, pk in known:  # ordered by period, version
        if review == ProgressReport.Review.ACCEPTED:
            latest[target_id] = pk
    reports = ProgressReport.objects.in_bulk(list(latest.values()))
    return {target_id: reports[pk] for target_id, pk in latest.items()}


def evaluate_as_of(targets: list[Target], on: dt.date, accepted: dict[int, ProgressReport],
                   ledgers: dict[int, dict], metrics: dict | None = None) -> dict:
    """Evaluations of the targets (with `plan` selected) from what was known on the cut-off.

    plans.selectors.evaluate_targets reads every accepted report of a period up to `on`, even one
    submitted or accepted after it. A run stands for the cut-off, so it counts only reports
    submitted and accepted on or before `on` (`accepted` from accepted_reports), the same rule as
    for returned reports in report_record. No query except one per distinct bound metric.
    """
    metrics = metric_values(targets, on) if metrics is None else metrics
    return {
        t.pk: evaluate_target(t, on=on, report=accepted.get(t.pk), ledger=ledgers.get(t.pk),
                              metric_value=metrics.get(t.pk))
        for t in targets
    }


def reporting_since(target: Target) -> dt.date:
    """The first day the target was in the active plan: its period start, the plan's activation
    or its own creation, whichever is latest (a plan made active without activation has none)."""
    dates = [target.period_start, _local_date(target.plan.activated_at), _local_date(target.created_at)]
    return max(d for d in dates if d is not None)


def report_record(
    targets: list[Target], evaluations: dict, *, on: dt.date, grace_days: int,
    known: list[tuple] | None = None, accepted: dict[int, ProgressReport] | None = None,
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Per lead unit: reports returned by `on`, and months reported late or not at all.

    Only what was known on `on` counts: a report submitted after it does not exist yet, and a
    review (acceptance or return) made after it has not happened yet (see _known_reports).
    A month is due `grace_days` after its end; it counts once that day has passed before `on`,
    and only if the target was already in the active plan before the due day (reporting_since):
    a target added, or a plan activated, in October owes no report for January to August.
    A target added on a month's due day itself owes none for that month either (no time to file).
    It is late or missing when no version of its report was submitted by the due day. Months after
    the target's deadline, and after the month whose accepted report completed it, are not due.
    """
    ids = [t.pk for t in targets]
    known = _known_reports(ids, on) if known is None else known
    accepted = accepted_reports(known) if accepted is None else accepted
    first_submitted: dict[tuple[int, dt.date], dt.date] = {}
    returned: dict[int, list[str]] = defaultdict(list)
    by_id = {t.pk: t for t in targets}
    for target_id, period, version, review, submitted, _pk in known:
        key = (target_id, period)
        first_submitted[key] = min(first_submitted.get(key, submitted), submitted)
        if review == ProgressReport.Review.RETURNED:
            t = by_id[target_id]
            returned[t.lead_unit_id].append(f"“{_short(t.title)}”{period.month}月第{version}版")
    missing: dict[int, list[str]] = defaultdict(list)
    grace = dt.timedelta(days=grace_days)
    for t in targets:
        last = min(t.period_end, on)
        done_report = accepted.get(t.pk)
        if evaluations[t.pk].status == Status.DONE and done_report is not None:
            last = min(last, month_end(done_report.period))
        since = reporting_since(t)
        for month in _months(t.period_start, last):
            due = month_end(month) + grace
            if due >= on or due <= since:
                continue
            submitted = first_submitted.get((t.pk, month))
            if submitted is None:
                missing[t.lead_unit_id].append(f"“{_short(t.title)}”{month.month}月漏报")
            elif submitted > due:
                missing[t.lead_unit_id].append(f"“{_short(t.title)}”{month.month}月迟报")
    return returned, missing


def first_report_due(target: Target, grace_days: int) -> dt.date:
    """The day the target's first monthly report falls due: the end of the month it entered the
    active plan (reporting_since), plus the grace days (report_record's rule)."""
    return month_end(reporting_since(target)) + dt.timedelta(days=grace_days)


def not_started_reason(target: Target, evaluation, *, on: dt.date, grace_days: int) -> str:
    """Why a target is not scored on `on` ("" when it is): its light says 未开始 and either its
    period has not begun or no report was due yet. A target whose report was due and never came
    is scored (nothing), so silence never pays."""
    if evaluation.status != Status.NOT_STARTED:
        return ""
    if on < target.period_start:
        return f"计划于{target.period_start:%Y-%m-%d}开始，截至考核日尚未开始"
    due = first_report_due(target, grace_days)
    if due >= on:
        return f"首份进度报告于{due:%Y-%m-%d}到期，截至考核日尚无应报数据"
    return ""


def _num(value) -> str:
    return engine.fmt(engine.dec(value))


def target_entry(
    t: Target, ev, *, group: str, on: dt.date, grace_days: int, report: ProgressReport | None = None,
    ledger: dict | None = None, metric_value=None,
) -> dict:
    """One target's input to the engine (JSON), from its evaluation on `on` (the light's own
    numbers, so the score and the light read the same facts). No queries: `t` needs `plan`."""
    ledger = ledger or {}
    goal, done = None, None
    if t.kind == Target.Kind.LEDGER:
        goal = t.target_value if t.target_value is not None else (ledger.get("items_total") or None)
        # Without items, the figure reported by hand (in the evaluation) is what counts.
        done = ledger.get("items_done") if ledger.get("items_total") else None
    value = metric_value if t.metric else (report.value if report is not None else None)
    bound, within, figure = "", None, ""
    if t.target_value is not None and lights.is_lower_better(t.comparator or None, float(t.target_value)):
        bound = t.target_display()
        if value is not None:
            figure = f"{_num(value)}{t.unit}"
            within = lights.within_bound(t.comparator or None, float(t.target_value), float(value))
    elif report is not None and report.value is not None:
        figure = f"{_num(report.value)}{t.unit}"
    return {
        "id": t.pk,
        "title": t.title,
        "group": group,
        "kind": t.kind,
        "weight": engine._str(t.weight),
        "completion": None if ev.completion is None else format(engine.dec(ev.completion), "f"),
        "met": ev.status == Status.DONE,
        "items_done": done,
        "items_goal": None if goal is None else format(engine.dec(goal), "f"),
        "overdue": t.period_end < on and ev.status != Status.DONE,
        "status": ev.status.label,
        "deadline": t.period_end.isoformat(),
        "schedule": ev.schedule,
        "not_started": not_started_reason(t, ev, on=on, grace_days=grace_days),
        "bound": bound,
        "within": within,
        "figure": figure,
    }


def _group_of_targets(scheme: Scheme, groups: list[SchemeGroup]) -> tuple[dict[int, str], str | None]:
    through = SchemeGroup.targets.through.objects.filter(schemegroup__scheme=scheme)
    listed = {row.target_id: str(row.schemegroup_id) for row in through}
    return listed, default_group(groups)


def default_group(groups: list[SchemeGroup]) -> str | None:
    """Where unlisted targets go: the first 个性 group that carries weight."""
    return next((str(g.pk) for g in groups if g.kind == SchemeGroup.Kind.SPECIFIC and g.weight > 0), None)


def collect_snapshot(
    scheme: Scheme, *, on: dt.date, supervision_stats: SupervisionStats | None = None,
    stats_loader: Callable[..., tuple[SupervisionStats, str]] = load_supervision_stats,
) -> dict:
    """Every input of a run of `scheme` on `on`, as JSON. A fixed number of queries."""
    plan = plan_for_year(scheme.year)
    groups = list(scheme.groups.all())
    rules = list(scheme.rules.all())
    notes: list[str] = []
    if supervision_stats is None:
        supervision_stats, note = stats_loader(year=scheme.year, on=on)
        if note:
            notes.append(note)

    # Computing a run is the 督查室's act over every unit, so this deliberately reads all targets
    # of the plan (the caller has checked the actor's right to compute).
    # A run is as the plan stood on its cut-off: a target cancelled by adjustment after it still
    # counts, and a split's parts created after it do not yet.
    targets = list(
        Target.objects.filter(Q(deleted_at__isnull=True) | Q(cancelled_on__gt=on), plan=plan, lead_unit__isnull=False)
        .exclude(adjusted_from__isnull=False, created_at__date__gt=on)
        .select_related("plan").defer("plan__source_text").order_by("order", "id")
    )
    known = _known_reports([t.pk for t in targets], on)
    accepted = accepted_reports(known)
    ledger_ids = [t.pk for t in targets if t.kind == Target.Kind.LEDGER]
    ledgers = ledger_counts(ledger_ids, on) if ledger_ids else {}
    metrics = metric_values(targets, on)
    evaluations = evaluate_as_of(targets, on, accepted, ledgers, metrics)
    listed, default_group = _group_of_targets(scheme, groups)
    returned, missing = report_record(targets, evaluations, on=on, grace_days=scheme.report_grace_days,
                                      known=known, accepted=accepted)

    units: dict[int, dict] = {}

    def unit_entry(unit_id: int) -> dict:
        return units.setdefault(unit_id, {"id": unit_id, "targets": [], "common": [], "bonuses": [], "vetoes": []})

    for t in targets:
        # A split's part stays in the group its original was listed in.
        group = listed.get(t.pk, listed.get(t.adjusted_from_id, default_group))
        if group is None:
            continue
        unit_entry(t.lead_unit_id)["targets"].append(target_entry(
            t, evaluations[t.pk], group=group, on=on, grace_days=scheme.report_grace_days,
            report=accepted.get(t.pk), ledger=ledgers.get(t.pk), metric_value=metrics.get(t.pk),
        ))
    if scheme.cancelled_targets == Scheme.Cancelled.ZERO:
        # Cancelled by an approved adjustment, still the unit's (a split is scored by its parts).
        cancelled = (Target.objects.filter(plan=plan, cancelled_on__isnull=False, cancelled_on__lte=on,
                                           lead_unit__isnull=False, parts__isnull=True)
                     .order_by("order", "id"))
        for t in cancelled:
            group = listed.get(t.pk, default_group)
            if group is not None:
                unit_entry(t.lead_unit_id)["targets"].append({
                    "id": t.pk, "title": t.title, "group": group, "kind": t.kind, "weight": engine._str(t.weight),
                    "cancelled": f"已于{t.cancelled_on:%Y-%m-%d}经目标调整取消",
                })
    for c in CommonScore.objects.filter(group__scheme=scheme).order_by("group__order", "group_id", "name", "id"):
        unit_entry(c.unit_id)["common"].append({
            "group": str(c.group_id), "name": c.name, "score": engine._str(c.score),
            "weight": engine._str(c.weight), "note": c.note,
        })

    # Only units with something to score take part; bonuses, vetoes and deductions attach to them.
    assessed = set(units)
    ignored: set[int] = set()
    for b in BonusItem.objects.filter(scheme=scheme).order_by("created_at", "id"):
        if b.unit_id not in assessed:
            ignored.add(b.unit_id)
            continue
        units[b.unit_id]["bonuses"].append({
            "id": b.pk, "points": engine._str(b.points), "reason": b.reason, "evidence": b.evidence,
            "status": b.status,
        })
    for v in Veto.objects.filter(scheme=scheme).order_by("created_at", "id"):
        if v.unit_id not in assessed:
            ignored.add(v.unit_id)
            continue
        units[v.unit_id]["vetoes"].append({"reason": v.reason, "effect": v.effect})

    unit_rows = list(OrgUnit.objects.filter(pk__in=assessed | ignored).values_list("pk", "name"))  # tree order
    names = dict(unit_rows)
    order = {pk: i for i, (pk, _name) in enumerate(unit_rows)}
    if ignored:
        notes.append("以下单位没有考核指标，其加分或否决事项未计入：" + "、".join(sorted(names[u] for u in ignored)))
    for unit_id, entry in units.items():
        entry["name"] = names[unit_id]
        stats = supervision_stats.get(unit_id) or {}
        entry["supervision"] = {k: stats.get(k, 0) for k in ("items", "overdue", "urges", "closed_on_time", "returned")}
        entry["counts"] = {
            engine.RETURNED_REPORT: len(returned.get(unit_id, [])),
            engine.MISSING_REPORT: len(missing.get(unit_id, [])),
            engine.URGE: int(stats.get("urges") or 0),
            engine.OVERDUE_SUPERVISION: int(stats.get("overdue") or 0),
        }
        entry["details"] = {
            engine.RETURNED_REPORT: returned.get(unit_id, []),
            engine.MISSING_REPORT: missing.get(unit_id, []),
        }

    scheme_params = engine.scheme_to_dict(engine_scheme(scheme, groups, rules))
    return {
        "format": SNAPSHOT_FORMAT,
        "on": on.isoformat(),
        "scheme": scheme_params,
        "scheme_info": {"id": scheme.pk, "name": scheme.name, "year": scheme.year,
                        "report_grace_days": scheme.report_grace_days},
        "plan": {"id": plan.pk, "year": plan.year, "title": plan.title, "status": plan.status},
        "units": [units[u] for u in sorted(units, key=lambda u: order.get(u, 0))],
        "notes": notes,
    }


def engine_scheme(scheme: Scheme, groups: list[SchemeGroup] | None = None, rules=None) -> engine.Scheme:
    groups = list(scheme.groups.all()) if groups is None else groups
    rules = list(scheme.rules.all()) if rules is None else rules
    quota = scheme.excellent_quota
    return engine.Scheme(
        groups=tuple(engine.GroupSpec(str(g.pk), g.name, g.kind, g.weight) for g in groups),
        full_marks=scheme.full_marks,
        completion_cap=scheme.completion_cap,
        completion_floor=scheme.completion_floor,
        milestone_mode=scheme.milestone_mode,
        progress_basis=scheme.progress_basis,
        bonus_cap=scheme.bonus_cap,
        deductions=tuple(engine.DeductionRule(r.kind, r.points, r.cap) for r in rules),
        bands=scheme.bands() or engine.DEFAULT_BANDS,
        excellent_quota=None if quota is None or quota >= 100 else quota,
    )


# ---------------------------------------------------------------- pages


def run_results(run: Run, user):
    """The ranking table's rows as the user may see them (one query)."""
    return RunResult.objects.visible_to(user).filter(run=run).select_related("unit").order_by("rank", "unit_name")


def scheme_detail(scheme: Scheme) -> dict:
    """What the scheme page shows, in a fixed number of queries."""
    groups = list(
        scheme.groups.prefetch_related(
            Prefetch("common_scores", queryset=CommonScore.objects.select_related("unit").order_by("unit__order", "name"))
        ).order_by("order", "id")
    )
    target_counts = defaultdict(int)
    for group_id in SchemeGroup.targets.through.objects.filter(schemegroup__scheme=scheme).values_list(
        "schemegroup_id", flat=True
    ):
        target_counts[group_id] += 1
    default = default_group(groups)
    for g in groups:
        g.listed_targets = target_counts.get(g.pk, 0)
        g.is_default = str(g.pk) == default
    return {
        "groups": groups,
        "rules": list(scheme.rules.all()),
        "bands": scheme.grade_bands,
        "runs": list(scheme.runs.defer("snapshot").select_related("computed_by", "signed_off_by", "published_by")
                     .order_by("-number")),
        "vetoes": list(scheme.vetoes.select_related("unit", "set_by")),
        "bonus_counts": {
            s: n for s, n in _count_by(scheme.bonuses.values_list("status", flat=True)).items()
        },
    }


def _count_by(values) -> dict:
    counts: dict = defaultdict(int)
    for v in values:
        counts[v] += 1
    return counts
