"""Reads behind the leaders' cockpit (领导驾驶舱).

Every figure starts from `Target.objects.visible_to(user)` and is computed by the plans
selectors' status engine; nothing is stored. The whole page costs a fixed number of queries:
the targets once, today's evaluation (plans.selectors.evaluate_targets), the month-end history
from all accepted reports and ledger items fetched once and evaluated in Python, metric values
once per month, the assessment run and the overdue 督办单.

The result is plain data (str, int, float, lists, dicts) so the page and the JSON endpoint
render the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.urls import reverse

from yuanqu.assessment.models import Run, RunResult
from yuanqu.core.periods import month_end, report_months
from yuanqu.plans import selectors as plan_selectors
from yuanqu.plans import status as lights
from yuanqu.plans.models import Plan, Target
from yuanqu.plans.selectors import current_plan
from yuanqu.plans.status import BAR_ORDER
from yuanqu.reports.ranking import unit_on_track_ranking, unit_tallies
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
        counts = Counter(e.status for e in evs)
        completion, schedule = average_progress(evs)
        name = f"{section.no}、{section.title}"
        rows.append({
            "id": section.pk,
            "name": name,
            "label": short_label(section),
            "total": len(evs),
            "counts": {s.value: counts.get(s, 0) for s in BAR_ORDER},
            "completion": completion,
            "schedule": schedule,
            "tone": tone(completion, schedule, plan.status_rule()),
            "url": target_list_url(plan, section=section.pk),
            "urls": {s.value: target_list_url(plan, section=section.pk, status=s.value) for s in BAR_ORDER},
        })
        rows[-1]["segments"] = [
            {"status": s.value, "label": s.label, "count": counts.get(s, 0), "url": rows[-1]["urls"][s.value]}
            for s in BAR_ORDER
        ]
    return rows


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
    run = latest_assessment_run(plan, user)
    rows = []
    if run is not None:
        tallies = unit_tallies(targets, evaluations)
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
    for s in unit_on_track_ranking(targets, evaluations):
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
    history = status_trend(targets, cutoffs)
    return {
        "months": [f"{c.month}月" for c in cutoffs],
        "cutoffs": [c.isoformat() for c in cutoffs],
        "series": {s.value: [counts.get(s, 0) for counts in history] for s in BAR_ORDER},
        # A month's point opens today's list of that status (the list knows no past dates).
        "urls": {s.value: target_list_url(plan, status=s.value) for s in BAR_ORDER},
    }


def cockpit_data(plan: Plan, user, on: dt.date) -> dict:
    """Everything the cockpit shows for one plan, as plain data."""
    targets = list(
        Target.objects.visible_to(user).filter(plan=plan).select_related("plan", "section", "lead_unit").defer("plan__source_text")
    )
    evaluations = plan_selectors.evaluate_targets(targets, on)
    counts = Counter(e.status for e in evaluations.values())
    completion, schedule = average_progress(list(evaluations.values()))
    overdue = overdue_supervision(user, on)
    headline = {
        "total": len(targets),
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
    return {
        "plan": {
            "id": plan.pk, "year": plan.year, "title": plan.title, "status": plan.status,
            "yellow_band": float(plan.yellow_band),
        },
        "on": on.isoformat(),
        "statuses": [{"value": s.value, "label": s.label, "color": STATUS_COLORS[s]} for s in BAR_ORDER],
        "headline": headline,
        "sections": section_rows(plan, targets, evaluations),
        "lagging": lagging_targets(targets, evaluations),
        "ranking": unit_ranking(plan, user, targets, evaluations),
        "overdue": overdue,
        "trend": trend_block(plan, targets, on),
    }
