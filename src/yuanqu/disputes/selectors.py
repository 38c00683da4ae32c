"""Reads of the disputes register with their rules: the case list's filters (page, export and API
share them), a case's timeline and the overview counts (cockpit tile). Each in a fixed number of
queries, whatever the number of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit

from .models import FINISHED, DisputeCase, DisputeType, Kind, State


@dataclass(frozen=True)
class CaseFilters:
    kind: str = ""
    state: str = ""
    dispute_type: str = ""
    unit: int | str = ""  # "" when not filtered (templates compare it with ids)
    overdue: bool = False
    open: bool = False
    q: str = ""

    def labels(self) -> list[str]:
        """The export's note line: "类型：信访", "承办单位：招商局" … (a query for a named unit)."""
        out = []
        if self.kind:
            out.append(f"类型：{Kind(self.kind).label}")
        if self.state:
            out.append(f"状态：{State(self.state).label}")
        if self.dispute_type:
            out.append(f"纠纷类型：{DisputeType(self.dispute_type).label}")
        if self.unit:
            found = OrgUnit.objects.filter(pk=self.unit).first()
            out.append(f"承办单位：{found.name if found else '（不存在）'}")
        if self.open:
            out.append("只看未办结")
        if self.overdue:
            out.append("只看逾期")
        if self.q:
            out.append(f"搜索：“{self.q}”")
        return out


def _flag(value) -> bool:
    return value in ("1", "true")


def parse_filters(params) -> CaseFilters:
    return CaseFilters(
        kind=params.get("kind") if params.get("kind") in Kind.values else "",
        state=params.get("state") if params.get("state") in State.values else "",
        dispute_type=params.get("dispute_type") if params.get("dispute_type") in DisputeType.values else "",
        unit=parse_id(params.get("unit")) or "",
        overdue=_flag(params.get("overdue")),
        open=_flag(params.get("open")),
        q=(params.get("q") or "").strip()[:100],
    )


def filter_cases(user, params, on: dt.date) -> tuple[CaseFilters, QuerySet[DisputeCase]]:
    """The cases the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = parse_filters(params)
    qs = DisputeCase.objects.visible_to(user).select_related("assigned_unit")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.dispute_type:
        qs = qs.filter(dispute_type=filters.dispute_type)
    if filters.unit:
        qs = qs.filter(assigned_unit=filters.unit)
    if filters.open:
        qs = qs.exclude(state__in=FINISHED)
    if filters.overdue:
        qs = qs.filter(DisputeCase.overdue_q(on))
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(parties__icontains=filters.q))
    return filters, qs.order_by("-received_on", "-pk")


def unit_choices(user):
    """Units for the filter: every unit for zone-wide readers, else the user's own subtrees."""
    units = OrgUnit.objects.filter(is_active=True).only("pk", "name")
    return units if user.can("disputes.read_all") else units.filter(user.scope_units().q("pk"))


def case_timeline(case: DisputeCase) -> list:
    return list(case.events.select_related("actor").order_by("time", "pk"))


@dataclass(frozen=True)
class KindFigures:
    kind: str
    label: str
    open: int
    overdue: int  # open cases with a clock running past its limit


def overview(user, on: dt.date) -> list[KindFigures]:
    """Per kind: open cases and those with a clock running past its limit, as the user may read (one query)."""
    rows = {r["kind"]: r for r in DisputeCase.objects.visible_to(user).values("kind").annotate(
        open=Count("pk", filter=~Q(state__in=FINISHED)),
        overdue=Count("pk", filter=DisputeCase.running_overdue_q(on))).order_by()}
    return [KindFigures(kind, str(label), rows.get(kind, {}).get("open", 0), rows.get(kind, {}).get("overdue", 0))
            for kind, label in Kind.choices]


# ---------------------------------------------------------------- per-unit figures and ranking


def min_sample() -> int:
    return settings.YUANQU_DISPUTES_MIN_SAMPLE


@dataclass
class Figures:
    """One handling unit's (or mediation committee's) cases against their clocks."""

    name: str
    total: int
    handled: int  # answered or mediated to an end (调结), or declined: the handling clock stopped
    on_time: int  # handled with every clock stopped by its limit and none running past it
    overdue: int  # a clock stopped late, or one running past its limit on an open case
    open_overdue: int  # of which still open with a clock running past its limit
    unit: OrgUnit | None = None
    rank: int | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.handled if self.handled else None


def _aggregates(on: dt.date) -> dict:
    handled = Q(decided_on__isnull=False) | Q(state=State.DECLINED)
    late = DisputeCase.overdue_q(on)
    return {"total": Count("pk"), "handled": Count("pk", filter=handled),
            "on_time": Count("pk", filter=handled & ~late), "overdue": Count("pk", filter=late),
            "open_overdue": Count("pk", filter=DisputeCase.running_overdue_q(on))}


def _rank(figures: list[Figures]) -> list[Figures]:
    """Those with at least the minimum sample of handled cases are ranked by on-time share, then by
    fewer overdue; the others are listed after them unranked (too few to compare)."""
    enough = min_sample()
    ranked = sorted((f for f in figures if f.handled >= enough),
                    key=lambda f: (-(f.on_time_share or 0), f.overdue, f.name))
    for place, f in enumerate(ranked, start=1):
        f.rank = place
    return ranked + sorted((f for f in figures if f.handled < enough), key=lambda f: f.name)


def _cases(user, year: int | None, kind: str) -> QuerySet[DisputeCase]:
    qs = DisputeCase.objects.visible_to(user)
    if year:
        qs = qs.filter(received_on__year=year)
    return qs.filter(kind=kind) if kind in Kind.values else qs


def unit_figures(user, on: dt.date, *, year: int | None = None, kind: str = "") -> list[Figures]:
    """Per assigned unit, of the cases the user may read (received in the year, of the kind, if
    given): handled, on time, overdue (open ones past a limit included). Two queries."""
    rows = list(_cases(user, year, kind).values("assigned_unit").annotate(**_aggregates(on)).order_by())
    units = OrgUnit.objects.in_bulk([r["assigned_unit"] for r in rows])
    figures = []
    for row in rows:
        unit = units[row.pop("assigned_unit")]
        figures.append(Figures(name=unit.name, unit=unit, **row))
    return _rank(figures)


def committee_figures(user, on: dt.date, *, year: int | None = None) -> list[Figures]:
    """Per mediation committee (the text on the mediation cases), likewise. One query."""
    rows = (_cases(user, year, Kind.MEDIATION).exclude(committee="").values("committee")
            .annotate(**_aggregates(on)).order_by())
    return _rank([Figures(name=r.pop("committee"), **r) for r in rows])
