"""Reads behind the leaders' cockpit (领导驾驶舱).

Every figure starts from `Target.objects.visible_to(user)`. Today's page reads the stored lights
(plans.stored: today's on the target, past months' in TargetMonthStatus) through aggregate
queries, never loading the targets: counts by status, section and unit, averages, the ten
laggards, the trend. Another day's page evaluates every target with the status engine
(plans.selectors.evaluate_targets, evaluations_at). Either costs a fixed number of queries.

The result is plain data (str, int, float, lists, dicts) so the page and the JSON endpoint
render the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, FloatField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone, translation

from yuanqu.assessment.models import Run, RunResult
from yuanqu.core import clock
from yuanqu.core.periods import month_end, report_months
from yuanqu.org.models import OrgUnit
from yuanqu.plans import selectors as plan_selectors
from yuanqu.plans import status as lights
from yuanqu.plans import stored
from yuanqu.plans.models import Plan, Target, TargetMonthStatus
from yuanqu.plans.selectors import current_plan
from yuanqu.plans.status import BAR_ORDER
from yuanqu.reports.ranking import ON_TRACK, UnitStanding, rank_standings, unit_tallies
from yuanqu.supervision.selectors import overdue_items

Status = lights.Status

# The same colours as the status badges (yuanqu.css), for the charts.
STATUS_COLORS = {
    Status.RED: "#d9363e",
    Status.YELLOW: "#f0ad00",
    Status.GREEN: "#2e9d5b",
    Status.DONE: "#4a6fa5",
    Status.NOT_STARTED: "#adb5bd",
}
LAGGING_SIZE = 10
OVERDUE_LIST_SIZE = 10


# ---------------------------------------------------------------- small helpers


def target_list_url(plan: Plan, **params) -> str:
    """The target list filtered as given (plans:target_list reads plan, section, status, unit ...)."""
    query = {"plan": plan.pk, **{k: v for k, v in params.items() if v not in (None, "")}}
    return reverse("plans:target_list") + "?" + urlencode(query)


def overdue_list_url() -> str:
    return reverse("supervision:list") + "?" + urlencode({"overdue": "1"})


def month_cutoffs(plan: Plan, on: dt.date) -> list[dt.date]:
    """The end of each month of the plan year up to `on`; the current month ends on `on`."""
    return [min(month_end(m), on) for m in report_months(plan.year, on)]


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def measured(evaluation: lights.Evaluation) -> bool:
    """Whether a target has a progress to set against 序时进度: not a bound to keep ("不超过",
    "不发生" — judged in or out, never "how far along") and not a period yet to begin."""
    return evaluation.gap is not None or evaluation.status == Status.DONE


def bounded_completion(evaluation: lights.Evaluation) -> float:
    """A target's completion as it counts in an average: done as 100, unknown as 0, capped at 100
    so over-achievers do not hide laggards."""
    if evaluation.status == Status.DONE:
        return 100.0
    return max(0.0, min(100.0, evaluation.completion or 0.0))


def average_progress(evaluations: list[lights.Evaluation]) -> tuple[float | None, float | None]:
    """(mean completion, mean 序时进度) of a group's measured targets, in percent; None when none is.

    Each target is measured against its own 序时进度 (its own start and deadline), so a group's
    benchmark is the mean of its targets' schedules.
    """
    evaluations = [e for e in evaluations if measured(e)]
    if not evaluations:
        return None, None
    n = len(evaluations)
    return (
        _round(sum(bounded_completion(e) for e in evaluations) / n),
        _round(sum(e.schedule for e in evaluations) / n),
    )


def tone(completion: float | None, schedule: float | None, rule) -> str:
    """An average against its 序时进度 in traffic-light terms, by the plan's light rule."""
    if completion is None or schedule is None:
        return Status.NOT_STARTED.value
    return rule.light(schedule, schedule - completion).value


def pick_plan(user, plan_id: int | None, on: dt.date) -> tuple[Plan | None, list[Plan]]:
    """The plan to show (the one asked for, else the current plan, else the latest visible one) and
    the plans to choose from. An id the user may not see gives None: the view answers 404."""
    plans = list(Plan.objects.visible_to(user).only("id", "year", "title", "status"))
    if plan_id is not None:
        if not any(p.pk == plan_id for p in plans):
            return None, plans
        return Plan.objects.visible_to(user).get(pk=plan_id), plans
    plan = current_plan(user, on)
    if plan is None and plans:
        plan = Plan.objects.get(pk=plans[0].pk)
    return plan, plans


# ---------------------------------------------------------------- month-end history


def status_trend(targets: list[Target], cutoffs: list[dt.date]) -> list[Counter]:
    """Counts by status at each cutoff (plans.selectors.evaluations_at, recomputed month by month)."""
    return [Counter(e.status for e in evaluations.values())
            for evaluations in plan_selectors.evaluations_at(targets, cutoffs)]


# ---------------------------------------------------------------- the page's blocks


def short_label(section, size: int = 12) -> str:
    """A section's name for a chart axis: its number and the first clause of its title."""
    head = re.split(r"[，,；;。：:]", section.title, maxsplit=1)[0].strip() or section.title
    label = f"{section.no}、{head}"
    return label if len(label) <= size else label[: size - 1] + "…"


def section_rows(plan: Plan, targets: list[Target], evaluations: dict) -> list[dict]:
    by_section: dict[int, list[lights.Evaluation]] = defaultdict(list)
    for t in targets:
        by_section[t.section_id].append(evaluations[t.pk])
    rows = []
    for section in plan.sections.all():
        evs = by_section.get(section.pk, [])
        completion, schedule = average_progress(evs)
        rows.append(_section_row(plan, section, len(evs), Counter(e.status for e in evs), completion, schedule))
    return rows


def _section_row(plan: Plan, section, total: int, counts: Counter, completion, schedule) -> dict:
    row = {
        "id": section.pk,
        "name": f"{section.no}、{section.title}",
        "label": short_label(section),
        "total": total,
        "counts": {s.value: counts.get(s, 0) for s in BAR_ORDER},
        "completion": completion,
        "schedule": schedule,
        "tone": tone(completion, schedule, plan.status_rule()),
        "url": target_list_url(plan, section=section.pk),
        "urls": {s.value: target_list_url(plan, section=section.pk, status=s.value) for s in BAR_ORDER},
    }
    row["segments"] = [
        {"status": s.value, "label": s.label, "count": counts.get(s, 0), "url": row["urls"][s.value]}
        for s in BAR_ORDER
    ]
    return row


def _target_row(t: Target, evaluation: lights.Evaluation) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "url": reverse("plans:target_detail", args=[t.pk]),
        "section": f"{t.section.no}、{t.section.title}",
        "unit": t.lead_unit.label if t.lead_unit else "",
        "status": evaluation.status.value,
        "status_label": evaluation.status.label,
        "completion": _round(evaluation.completion),
        "schedule": _round(evaluation.schedule),
        "gap": _round(evaluation.gap),
    }


def lagging_targets(targets: list[Target], evaluations: dict, size: int = LAGGING_SIZE) -> list[dict]:
    """Targets not done that trail 序时进度 the most (gap = 序时进度 − completion, largest first)."""
    behind = [
        t for t in targets
        if evaluations[t.pk].status != Status.DONE and evaluations[t.pk].gap is not None and evaluations[t.pk].gap > 0
    ]
    behind.sort(key=lambda t: (-evaluations[t.pk].gap, evaluations[t.pk].status.rank, t.section.order, t.order, t.pk))
    return [_target_row(t, evaluations[t.pk]) for t in behind[:size]]


def latest_assessment_run(plan: Plan, user) -> Run | None:
    """The latest signed-off or published run of the plan's year the user may see."""
    return (
        Run.objects.visible_to(user)
        .filter(scheme__year=plan.year, status__in=[Run.Status.SIGNED_OFF, Run.Status.PUBLISHED])
        .select_related("scheme")
        .defer("snapshot")
        .order_by("-signed_off_at", "-id")
        .first()
    )


def unit_ranking(plan: Plan, user, targets: list[Target], evaluations: dict) -> dict:
    """Units ranked by the year's settled assessment if there is one, else by the bulletin's rule
    (reports.ranking): the share of their targets on track (green or done), fewer reds on a tie."""
    return unit_ranking_from(plan, user, unit_tallies(targets, evaluations))


def unit_ranking_from(plan: Plan, user, tallies: dict[int, UnitStanding]) -> dict:
    """The ranking block from the lead units' tallies (reports.ranking.UnitStanding by unit id)."""
    run = latest_assessment_run(plan, user)
    rows = []
    if run is not None:
        for result in RunResult.objects.visible_to(user).filter(run=run).select_related("unit").order_by(
            "rank", "unit_name"
        ):
            s = tallies.get(result.unit_id)
            rows.append({
                "rank": result.rank,
                "unit_id": result.unit_id,
                "unit": result.unit.label if result.unit else result.unit_name,
                "score": float(result.total),
                "grade": result.grade,
                "grade_level": result.grade_level,
                "vetoed": result.vetoed,
                "total": s.total if s else 0,
                "red": s.red if s else 0,
                "share": s.share if s else 0.0,
                "url": target_list_url(plan, unit=result.unit_id),
            })
        return {
            "by": "assessment",
            "run": {
                "label": str(run),
                "status": run.status,
                "status_label": run.get_status_display(),
                "url": reverse("assessment:run_detail", args=[run.pk]),
            },
            "rows": rows,
        }
    for s in rank_standings(tallies.values()):
        rows.append({
            "rank": s.rank,
            "unit_id": s.unit_id,
            "unit": s.unit.label,
            "score": None,
            "grade": "",
            "total": s.total,
            "on_track": s.on_track,
            "red": s.red,
            "share": s.share,
            "url": target_list_url(plan, unit=s.unit_id),
        })
    return {"by": "on_track", "run": None, "rows": rows}


def overdue_supervision(user, on: dt.date, size: int = OVERDUE_LIST_SIZE) -> dict:
    """Open 督办单 past their deadline (not limited to the plan: the count matches the list it links to)."""
    qs = overdue_items(on=on, user=user)
    rows = [
        {
            "id": item.pk,
            "number": item.number,
            "title": item.title,
            "unit": item.lead_unit.label if item.lead_unit_id else "",
            "deadline": item.deadline.isoformat(),
            "days": (on - item.deadline).days,
            "url": reverse("supervision:detail", args=[item.pk]),
        }
        for item in qs[:size]
    ]
    return {"count": qs.count(), "rows": rows, "url": overdue_list_url()}


def trend_block(plan: Plan, targets: list[Target], on: dt.date) -> dict:
    cutoffs = month_cutoffs(plan, on)
    return _trend(plan, cutoffs, status_trend(targets, cutoffs))


def _trend(plan: Plan, cutoffs: list[dt.date], history: list[Counter]) -> dict:
    return {
        "months": [f"{c.month}月" for c in cutoffs],
        "cutoffs": [c.isoformat() for c in cutoffs],
        "series": {s.value: [counts.get(s, 0) for counts in history] for s in BAR_ORDER},
        # A month's point opens today's list of that status (the list knows no past dates).
        "urls": {s.value: target_list_url(plan, status=s.value) for s in BAR_ORDER},
    }


def cockpit_data(plan: Plan, user, on: dt.date) -> dict:
    """Everything the cockpit shows for one plan, as plain data: today's from the stored lights
    (plans.stored) in a few aggregate queries, kept for a reader YUANQU_COCKPIT_CACHE_SECONDS in
    the shared cache; another day's by evaluating every target. `as_of` says when it was read."""
    if on != clock.today():
        return {**evaluated_cockpit_data(plan, user, on), "as_of": _now()}
    seconds = settings.YUANQU_COCKPIT_CACHE_SECONDS
    if seconds <= 0:
        return {**stored_cockpit_data(plan, user, on), "as_of": _now()}
    # The reader's roles are in the key (a changed scope is a new entry) and so is the plan's
    # version (its light rule edited); every other change shows once the entry expires.
    key = (f"cockpit:{plan.pk}:{plan.version}:{user.pk}:{user.assignments_key()}:{on.isoformat()}"
           f":{translation.get_language()}")
    data = cache.get(key)
    if data is None:
        data = {**stored_cockpit_data(plan, user, on), "as_of": _now()}
        cache.set(key, data, seconds)
    return data


def _now() -> str:
    return timezone.localtime().strftime("%H:%M")


def evaluated_cockpit_data(plan: Plan, user, on: dt.date) -> dict:
    """The cockpit by evaluating every target on `on` and each month end before it (another day's
    view; on today it must say what the stored lights say, tests/cockpit/test_stored_equal.py)."""
    targets = list(
        Target.objects.visible_to(user).filter(plan=plan).select_related("plan", "section", "lead_unit").defer("plan__source_text")
    )
    evaluations = plan_selectors.evaluate_targets(targets, on)
    counts = Counter(e.status for e in evaluations.values())
    completion, schedule = average_progress(list(evaluations.values()))
    overdue = overdue_supervision(user, on)
    headline = _headline(plan, on, counts, len(targets), completion, schedule, overdue)
    return _page(plan, on, headline, section_rows(plan, targets, evaluations), lagging_targets(targets, evaluations),
                 unit_ranking(plan, user, targets, evaluations), overdue, trend_block(plan, targets, on))


def _page(plan, on, headline, sections, lagging, ranking, overdue, trend) -> dict:
    return {
        "plan": {
            "id": plan.pk, "year": plan.year, "title": plan.title, "status": plan.status,
            "yellow_band": float(plan.yellow_band),
        },
        "on": on.isoformat(),
        "statuses": [{"value": s.value, "label": s.label, "color": STATUS_COLORS[s]} for s in BAR_ORDER],
        "headline": headline,
        "sections": sections,
        "lagging": lagging,
        "ranking": ranking,
        "overdue": overdue,
        "trend": trend,
    }


def _headline(plan: Plan, on: dt.date, counts: Counter, total: int, completion, schedule, overdue: dict) -> dict:
    return {
        "total": total,
        "done": counts.get(Status.DONE, 0),
        "red": counts.get(Status.RED, 0),
        "overdue": overdue["count"],
        "completion": completion,
        "schedule": schedule,
        "tone": tone(completion, schedule, plan.status_rule()),
        "year_schedule": _round(lights.schedule_progress(plan.year_start, plan.year_end, on, plan.progress_mode)),
        "counts": {s.value: counts.get(s, 0) for s in BAR_ORDER},
        "segments": [
            {"status": s.value, "label": s.label, "count": counts.get(s, 0),
             "url": target_list_url(plan, status=s.value)}
            for s in BAR_ORDER
        ],
        "urls": {
            "total": target_list_url(plan),
            "done": target_list_url(plan, status=Status.DONE.value),
            "red": target_list_url(plan, status=Status.RED.value),
            "overdue": overdue["url"],
            "completion": target_list_url(plan),
        },
    }


# ---------------------------------------------------------------- today's page from the stored lights

# average_progress in SQL: measured targets only; done counts 100, the rest capped to 0..100.
_MEASURED = Q(gap__isnull=False) | Q(status=Status.DONE.value)
_BOUNDED = Case(
    When(status=Status.DONE.value, then=Value(100.0)),
    default=Greatest(Value(0.0), Least(Value(100.0), Coalesce("completion", Value(0.0)))),
    output_field=FloatField(),
)
_RANK = Case(*[When(status=s.value, then=Value(s.rank)) for s in Status], output_field=IntegerField())


def _sums() -> dict:
    """Counts by status and the sums behind average_progress, per group: groups add up."""
    return {
        **{f"n_{s.value}": Count("pk", filter=Q(status=s.value)) for s in Status},
        "n_total": Count("pk"),
        "n_measured": Count("pk", filter=_MEASURED),
        "sum_completion": Sum(_BOUNDED, filter=_MEASURED),
        "sum_schedule": Sum("schedule", filter=_MEASURED),
    }


def _add(rows) -> dict:
    total: dict = defaultdict(float)
    for row in rows:
        for key, value in row.items():
            if key.startswith(("n_", "sum_")):
                total[key] += value or 0
    return total


def _averages(row: dict) -> tuple[float | None, float | None]:
    n = row["n_measured"]
    return (_round(row["sum_completion"] / n), _round(row["sum_schedule"] / n)) if n else (None, None)


def _counts(row: dict) -> Counter:
    return Counter({s: int(row[f"n_{s.value}"]) for s in Status if row[f"n_{s.value}"]})


def _stored_evaluation(t: Target) -> lights.Evaluation:
    return lights.Evaluation(Status(t.status), t.schedule, t.completion, t.gap)


def stored_cockpit_data(plan: Plan, user, on: dt.date) -> dict:
    visible = Target.objects.visible_to(user).filter(plan=plan)
    stored.ensure_fresh(visible, on)
    visible = visible.order_by()
    # One pass over the targets, grouped by section and lead unit: the headline, the sections and
    # the units' standings are sums of its cells.
    cells = list(visible.values("section", "lead_unit").annotate(**_sums()))
    whole = _add(cells)
    counts = _counts(whole)
    overdue = overdue_supervision(user, on)
    headline = _headline(plan, on, counts, int(whole["n_total"]), *_averages(whole), overdue)

    by_section: dict[int, list] = defaultdict(list)
    by_unit: dict[int, list] = defaultdict(list)
    for cell in cells:
        by_section[cell["section"]].append(cell)
        if cell["lead_unit"] is not None:
            by_unit[cell["lead_unit"]].append(cell)
    sections = []
    for section in plan.sections.all():
        row = _add(by_section[section.pk]) if section.pk in by_section else None
        completion, schedule = _averages(row) if row else (None, None)
        sections.append(_section_row(plan, section, int(row["n_total"]) if row else 0,
                                     _counts(row) if row else Counter(), completion, schedule))

    lagging = [
        _target_row(t, _stored_evaluation(t)) for t in visible.exclude(status=Status.DONE.value)
        .filter(gap__gt=0).annotate(rank=_RANK).select_related("section", "lead_unit")
        .only("id", "title", "status", "completion", "schedule", "gap", "order", "section", "lead_unit",
              "section__no", "section__title",
              "section__order", "lead_unit__name", "lead_unit__short_name")
        .order_by("-gap", "rank", "section__order", "order", "pk")[:LAGGING_SIZE]
    ]

    standings = {}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=list(by_unit))}
    for unit_id, unit_cells in by_unit.items():
        row = _add(unit_cells)
        standings[unit_id] = UnitStanding(unit_id=unit_id, unit=units[unit_id], total=int(row["n_total"]),
                                          on_track=int(sum(row[f"n_{s.value}"] for s in ON_TRACK)),
                                          red=int(row[f"n_{Status.RED.value}"]))
    ranking = unit_ranking_from(plan, user, standings)

    cutoffs = month_cutoffs(plan, on)
    past = defaultdict(Counter)
    for row in (TargetMonthStatus.objects.filter(target__in=visible.values("pk"),
                                                 month__in=[c.replace(day=1) for c in cutoffs if c < on])
                .values("month", "status").annotate(n=Count("pk")).order_by()):
        past[row["month"]][Status(row["status"])] = row["n"]
    history = [counts if c == on else past[c.replace(day=1)] for c in cutoffs]
    return _page(plan, on, headline, sections, lagging, ranking, overdue, _trend(plan, cutoffs, history))
