"""Reads of the visits register with their rules: the request list's filters (page, export and API
share them), the visits list, a request's timeline and the per-unit statistics with a minimum
sample before any ranking. Each in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import UNANSWERED, EnterpriseRequest, RequestCategory, State, Visit

REQUEST_FILTERS = ListFilters(
    Choice("state", State, "状态"),
    Ref("category", RequestCategory, "类别", doc="诉求类别 id"),
    Ref("unit", OrgUnit, "承办单位", lookup="assigned_unit", doc="承办单位 id"),
    Flag("overdue", "只看逾期", q=EnterpriseRequest.overdue_q, doc="为 1 时只看逾期的（超期答复或过期未答复）"),
    Search(("text", "enterprise__name"), doc="企业或诉求内容中包含的文字"),
)
VISIT_FILTERS = ListFilters(Search(("enterprise__name", "visitors", "findings"), doc="企业、走访人或走访发现中包含的文字"))


def filter_requests(user, params, on: dt.date) -> tuple[Chosen, QuerySet[EnterpriseRequest]]:
    """The requests the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = REQUEST_FILTERS.parse(params)
    qs = EnterpriseRequest.objects.visible_to(user).select_related("enterprise", "category", "assigned_unit")
    return filters, filters.apply(qs, on).order_by("-received_on", "-pk")


def filter_visits(user, params, on: dt.date) -> tuple[Chosen, QuerySet[Visit]]:
    """The visits the page, the export and the API list: scoped, searched, newest first."""
    filters = VISIT_FILTERS.parse(params)
    qs = Visit.objects.visible_to(user).select_related("enterprise", "unit", "recorded_by")
    return filters, filters.apply(qs, on).annotate(request_count=Count("requests")).order_by("-visited_on", "-pk")


def unit_choices(user):
    """Units for the filters: every unit for zone-wide readers, else the user's own subtrees."""
    units = OrgUnit.objects.filter(is_active=True).only("pk", "name")
    return units if user.can("visits.read_all") else units.filter(user.scope_units().q("pk"))


def request_timeline(request: EnterpriseRequest) -> list:
    return list(request.events.select_related("actor").order_by("time", "pk"))


# ---------------------------------------------------------------- per-unit statistics


@dataclass
class UnitFigures:
    unit: OrgUnit
    total: int
    handled: int  # answered (答复) at least once and not sent back since
    on_time: int
    open_overdue: int
    satisfaction: float | None
    rated: int
    rank: int | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.handled if self.handled else None

    @property
    def overdue(self) -> int:
        """Answered late plus open past due."""
        return self.handled - self.on_time + self.open_overdue


def min_sample() -> int:
    return settings.YUANQU_VISITS_MIN_SAMPLE


def unit_figures(user, on: dt.date, *, year: int | None = None) -> list[UnitFigures]:
    """Each assigned unit's requests (of the year received, if given): handled, on time, open past
    due, mean satisfaction. Units with at least `min_sample()` handled requests are ranked by the
    on-time share, then satisfaction; the others are listed unranked (too few to compare). Two queries."""
    qs = EnterpriseRequest.objects.visible_to(user)
    if year:
        qs = qs.filter(received_on__year=year)
    rows = (qs.values("assigned_unit")
            .annotate(total=Count("pk"),
                      handled=Count("pk", filter=Q(replied_on__isnull=False)),
                      on_time=Count("pk", filter=Q(replied_on__isnull=False, replied_on__lte=F("due_on"))),
                      open_overdue=Count("pk", filter=Q(state__in=UNANSWERED, due_on__lt=on)),
                      mean=Avg("satisfaction"), rated=Count("satisfaction"))
            .order_by())
    rows = list(rows)
    units = OrgUnit.objects.in_bulk([r["assigned_unit"] for r in rows])
    figures = [UnitFigures(unit=units[r["assigned_unit"]], total=r["total"], handled=r["handled"],
                           on_time=r["on_time"], open_overdue=r["open_overdue"],
                           satisfaction=float(r["mean"]) if r["mean"] is not None else None,
                           rated=r["rated"]) for r in rows]
    enough = min_sample()
    ranked = sorted((f for f in figures if f.handled >= enough),
                    key=lambda f: (-(f.on_time_share or 0), -(f.satisfaction or 0), f.unit.name))
    for place, f in enumerate(ranked, start=1):
        f.rank = place
    rest = sorted((f for f in figures if f.handled < enough), key=lambda f: f.unit.name)
    return ranked + rest

