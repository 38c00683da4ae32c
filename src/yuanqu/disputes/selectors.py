"""Reads of the disputes register with their rules: the case list's filters (page, export and API
share them), a case's timeline and the overview counts (cockpit tile). Each in a fixed number of
queries, whatever the number of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import FINISHED, DisputeCase, DisputeType, Kind, State

CASE_FILTERS = ListFilters(
    Choice("kind", Kind, "类型"),
    Choice("state", State, "状态"),
    Choice("dispute_type", DisputeType, "纠纷类型"),
    Ref("unit", OrgUnit, "承办单位", lookup="assigned_unit", doc="承办单位 id"),
    Flag("open", "只看未办结", q=~Q(state__in=FINISHED), doc="为 1 时只看未办结的"),
    Flag("overdue", "只看逾期", q=DisputeCase.overdue_q, doc="为 1 时只看逾期的（超期完成或过期未完成）"),
    Search(("title", "parties"), doc="事由或当事人中包含的文字"),
)


def filter_cases(user, params, on: dt.date) -> tuple[Chosen, QuerySet[DisputeCase]]:
    """The cases the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = CASE_FILTERS.parse(params)
    qs = DisputeCase.objects.visible_to(user).select_related("assigned_unit")
    return filters, filters.apply(qs, on).order_by("-received_on", "-pk")


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
