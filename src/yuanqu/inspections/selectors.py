"""Reads of the inspections register with their rules: the hazard list's filters (page, export and
API share them), the inspection list, the revisits due, the works with their progress and late
stages, and the figures of the cockpit tile — each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import OPEN, Domain, Hazard, Inspection, Level, Revisit, State, Work, WorkStage

HAZARD_FILTERS = ListFilters(
    Choice("state", State, "状态"),
    Choice("level", Level, "等级", doc="隐患等级"),
    Choice("domain", Domain, "类别", lookup="inspection__domain", doc="检查类别"),
    Ref("unit", OrgUnit, "责任单位", lookup="responsible_unit", doc="责任单位 id"),
    Flag("open", "未销号", q=Q(state__in=OPEN), doc="为 1 时只看未销号的"),
    Flag("overdue", "只看逾期", q=Hazard.overdue_q, doc="为 1 时只看逾期的（超期整改或过期未整改）"),
    Search(("description", "inspection__site", "inspection__enterprise__name"), doc="隐患描述、企业或地点中包含的文字"),
)
INSPECTION_FILTERS = ListFilters(
    Choice("domain", Domain, "类别", doc="检查类别"),
    Search(("enterprise__name", "site", "findings"), doc="企业、地点或检查情况中包含的文字"),
)


def filter_hazards(user, params, on: dt.date) -> tuple[Chosen, QuerySet[Hazard]]:
    """The hazards the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = HAZARD_FILTERS.parse(params)
    qs = Hazard.objects.visible_to(user).select_related(
        "inspection__enterprise", "inspection__village", "inspection__inspecting_unit", "responsible_unit")
    return filters, filters.apply(qs, on).order_by("-inspection__inspected_on", "-pk")


def filter_inspections(user, params, on: dt.date) -> tuple[Chosen, QuerySet[Inspection]]:
    """The inspections the page, the export and the API list: scoped, filtered, newest first."""
    filters = INSPECTION_FILTERS.parse(params)
    qs = Inspection.objects.visible_to(user).select_related("enterprise", "village", "inspecting_unit")
    return filters, filters.apply(qs, on).annotate(hazard_count=Count("hazards")).order_by("-inspected_on", "-pk")


def revisits_due(user, on: dt.date, *, days_ahead: int = 30) -> QuerySet[Revisit]:
    """The 回头看 not yet done and due within `days_ahead` (or already past), soonest first."""
    return (Revisit.objects.visible_to(user).filter(done_on__isnull=True, due_on__lte=on + dt.timedelta(days=days_ahead))
            .select_related("hazard__inspection__enterprise", "hazard__inspection__village", "hazard__responsible_unit")
            .order_by("due_on", "pk"))


def works(user, on: dt.date) -> list[Work]:
    """The works with their stages (two queries); each gets `done`, `total`, `progress` (0–100)
    and `late` (its stages past their planned day and not done: shown red)."""
    rows = list(Work.objects.visible_to(user).select_related("kind", "lead_unit", "village")
                .prefetch_related(Prefetch("stages", queryset=WorkStage.objects.order_by("order")))
                .order_by("started_on", "pk"))
    for work in rows:
        stages = list(work.stages.all())
        work.total = len(stages)
        work.done = sum(1 for s in stages if s.done_on is not None)
        work.progress = round(100 * work.done / work.total) if work.total else 0
        work.late = [s for s in stages if s.is_late(on)]
    return rows


def work_detail(user, pk: int) -> Work | None:
    return (Work.objects.visible_to(user).select_related("kind", "lead_unit", "village")
            .prefetch_related(Prefetch("stages", queryset=WorkStage.objects.order_by("order")
                                       .prefetch_related("evidence")))
            .filter(pk=pk).first())


@dataclass(frozen=True)
class TileFigures:
    open: int
    major_open: int
    overdue_open: int
    revisits_due: int


def tile_figures(user, on: dt.date) -> TileFigures:
    """The cockpit tile: the hazards this user sees that are open, 重大 and open, open past the
    deadline; and the 回头看 due by today. Two queries."""
    row = Hazard.objects.visible_to(user).filter(state__in=OPEN).aggregate(
        open=Count("pk"), major=Count("pk", filter=Q(level=Level.MAJOR)),
        overdue=Count("pk", filter=Q(deadline__lt=on, rectified_on__isnull=True)))
    due = Revisit.objects.visible_to(user).filter(done_on__isnull=True, due_on__lte=on).count()
    return TileFigures(open=row["open"], major_open=row["major"], overdue_open=row["overdue"], revisits_due=due)


def unit_choices(user):
    units = OrgUnit.objects.filter(is_active=True).only("pk", "name")
    return units if user.can("inspections.read_all") else units.filter(user.scope_units().q("pk"))


def timeline(hazard: Hazard) -> list:
    return list(hazard.events.select_related("actor").order_by("time", "pk"))
