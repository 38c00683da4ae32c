"""Reads with rules: late gates and late returns on a date, the project page's timeline, the
figures per chain node. Each in a fixed number of queries whatever the number of projects."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from yuanqu.chains.selectors import register_node_source

from .models import GATES, AmountBand, MonthlyReturn, Project, Stage, StageStep, band_for, stage_index

# A month's return is due by this day of the next month (the way progress reports are).
RETURN_DUE_DAY = 10
# Projects report monthly from signing until they produce.
REPORTING_STAGES = [Stage.SIGNED, Stage.REGISTERED, Stage.LAND, Stage.STARTED, Stage.COMPLETED]


def return_due_month(on: dt.date) -> dt.date | None:
    """The month whose return should be in by `on`: last month once its due day has passed."""
    if on.day <= RETURN_DUE_DAY:
        return None
    return (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def late_return_ids(projects, on: dt.date) -> set[int]:
    """Projects (reporting ones) with no return for the month due by `on` (one query)."""
    month = return_due_month(on)
    ids = [p.pk for p in projects if p.stage in REPORTING_STAGES]
    if month is None or not ids:
        return set()
    filed = set(MonthlyReturn.objects.filter(project__in=ids, month=month).values_list("project", flat=True))
    return set(ids) - filed


def late_step_ids(project_ids, on: dt.date) -> set[int]:
    """Projects with a gate whose planned date has passed unreached (one query)."""
    return set(StageStep.objects.filter(project__in=list(project_ids), planned_on__lt=on, actual_on__isnull=True,
                                        skipped=False).values_list("project", flat=True))


def annotate_rows(projects: list[Project], on: dt.date) -> list[Project]:
    """What a list row shows besides the project: late gates, late return, amount band (three queries)."""
    late_steps = late_step_ids([p.pk for p in projects], on)
    late_returns = late_return_ids(projects, on)
    bands = list(AmountBand.objects.all())
    for p in projects:
        p.late_stage = p.pk in late_steps
        p.late_return = p.pk in late_returns
        p.band = band_for(p.total_investment, bands)
    return projects


def project_detail(user, pk: int) -> Project:
    return (Project.objects.visible_to(user)
            .select_related("lead_unit", "leader", "chain_node__chain", "parcel", "lead").get(pk=pk))


def steps_of(project: Project, on: dt.date) -> list[StageStep]:
    steps = sorted(project.steps.prefetch_related("evidence"), key=lambda s: stage_index(s.stage))
    for step in steps:
        step.late = step.is_late(on)
    return steps


def timeline(steps: list[StageStep], on: dt.date) -> dict:
    """The chart's data: per gate its planned and actual dates (ISO) and whether it is late."""
    return {
        "today": on.isoformat(),
        "stages": [{"stage": s.get_stage_display(), "planned": s.planned_on.isoformat() if s.planned_on else None,
                    "actual": s.actual_on.isoformat() if s.actual_on else None, "skipped": s.skipped,
                    "late": s.late} for s in steps],
    }


def returns_of(project: Project) -> list[MonthlyReturn]:
    """Every version, newest month first; `current` marks the version that counts."""
    rows = list(MonthlyReturn.objects.filter(project=project).select_related("submitted_by")
                .prefetch_related("photos").order_by("-month", "-version"))
    seen = set()
    for r in rows:
        r.current = r.month not in seen
        seen.add(r.month)
    return rows


def reached_by(project_ids, stage: str, on: dt.date) -> dict[int, dt.date]:
    """Per project, the day it reached `stage` or a later gate by `on` (one query)."""
    later = GATES[GATES.index(stage):]
    days: dict[int, dt.date] = {}
    for pid, day in (StageStep.objects.filter(project__in=project_ids, stage__in=later, actual_on__lte=on)
                     .values_list("project", "actual_on")):
        days[pid] = min(day, days.get(pid, day))
    return days


def _projects_per_node(node_ids: list[int]) -> dict[int, int]:
    rows = Project.objects.filter(chain_node__in=node_ids).values("chain_node").annotate(n=Count("id"))
    return {row["chain_node"]: row["n"] for row in rows}


register_node_source("projects", "重大项目", _projects_per_node)
