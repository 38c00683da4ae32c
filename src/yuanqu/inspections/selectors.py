"""Reads of the inspections register with their rules: the hazard list's filters (page, export and
API share them), the inspection list, the revisits due, the works with their progress and late
stages, and the figures of the cockpit tile — each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit

from .models import OPEN, Domain, Hazard, Inspection, Level, Revisit, State, Work, WorkStage


@dataclass(frozen=True)
class HazardFilters:
    state: str = ""
    level: str = ""
    domain: str = ""
    unit: int | str = ""  # "" when not filtered (templates compare it with ids)
    overdue: bool = False
    open: bool = False
    q: str = ""

    def labels(self) -> list[str]:
        """The export's note line: "状态：整改中", "责任单位：三南村" …"""
        out = []
        if self.state:
            out.append(f"状态：{State(self.state).label}")
        if self.level:
            out.append(f"等级：{Level(self.level).label}")
        if self.domain:
            out.append(f"类别：{Domain(self.domain).label}")
        if self.unit:
            found = OrgUnit.objects.filter(pk=self.unit).first()
            out.append(f"责任单位：{found.name if found else '（不存在）'}")
        if self.open:
            out.append("未销号")
        if self.overdue:
            out.append("只看逾期")
        if self.q:
            out.append(f"搜索：“{self.q}”")
        return out


def parse_hazard_filters(params) -> HazardFilters:
    return HazardFilters(
        state=params.get("state") if params.get("state") in State.values else "",
        level=params.get("level") if params.get("level") in Level.values else "",
        domain=params.get("domain") if params.get("domain") in Domain.values else "",
        unit=parse_id(params.get("unit")) or "",
        overdue=params.get("overdue") in ("1", "true"),
        open=params.get("open") in ("1", "true"),
        q=(params.get("q") or "").strip()[:100],
    )


def filter_hazards(user, params, on: dt.date) -> tuple[HazardFilters, QuerySet[Hazard]]:
    """The hazards the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = parse_hazard_filters(params)
    qs = Hazard.objects.visible_to(user).select_related(
        "inspection__enterprise", "inspection__village", "inspection__inspecting_unit", "responsible_unit")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.domain:
        qs = qs.filter(inspection__domain=filters.domain)
    if filters.unit:
        qs = qs.filter(responsible_unit=filters.unit)
    if filters.open:
        qs = qs.filter(state__in=OPEN)
    if filters.overdue:
        qs = qs.filter(Hazard.overdue_q(on))
    if filters.q:
        qs = qs.filter(Q(description__icontains=filters.q) | Q(inspection__site__icontains=filters.q)
                       | Q(inspection__enterprise__name__icontains=filters.q))
    return filters, qs.order_by("-inspection__inspected_on", "-pk")


def inspection_list(user, params) -> QuerySet[Inspection]:
    qs = Inspection.objects.visible_to(user).select_related("enterprise", "village", "inspecting_unit")
    domain = params.get("domain")
    if domain in Domain.values:
        qs = qs.filter(domain=domain)
    q = (params.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(site__icontains=q) | Q(findings__icontains=q))
    return qs.annotate(hazard_count=Count("hazards")).order_by("-inspected_on", "-pk")


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
