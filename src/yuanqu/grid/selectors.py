"""Reads of the grid register with their rules: the event list's filters (page, export and API share
them), what a grid worker has to do, an event's timeline, the cockpit tile's counts and the
performance of units and grid workers with a minimum sample before anyone is ranked. Each in a
fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit, User

from .models import (
    FINISHED,
    OPEN,
    UNANSWERED,
    EventCategory,
    Grid,
    GridEvent,
    Severity,
    Source,
    State,
    worked_grids,
)


def _category_and_below(qs: QuerySet, category_id: int, on) -> QuerySet:
    return qs.filter(category__path__startswith=_path_of(category_id))


EVENT_FILTERS = ListFilters(
    Choice("state", State, "状态"),
    Ref("category", EventCategory, "类别", apply=_category_and_below, doc="事件类别 id（含下级类别）"),
    Ref("grid", Grid, "网格", doc="网格 id"),
    Ref("unit", OrgUnit, "承办单位", lookup="assigned_unit", doc="承办单位 id"),
    Choice("source", Source, "来源"),
    Choice("severity", Severity, "紧急程度"),
    Flag("overdue", "只看逾期", q=GridEvent.overdue_q, doc="为 1 时只看逾期的（超期反馈或过期未反馈）"),
    Search(("description", "number", "address"), doc="编号、描述或地址中包含的文字"),
)


def filter_events(user, params, now: dt.datetime) -> tuple[Chosen, QuerySet[GridEvent]]:
    """The events the page, the export and the API list: scoped, filtered, newest first (one query).
    A category filter takes its subcategories too."""
    filters = EVENT_FILTERS.parse(params)
    qs = GridEvent.objects.visible_to(user).select_related("category", "grid", "assigned_unit")
    return filters, filters.apply(qs, now).order_by("-reported_at", "-pk")


def _path_of(category_id: int) -> str:
    return EventCategory.objects.filter(pk=category_id).values_list("path", flat=True).first() or "-"


def my_work(user, now: dt.datetime) -> dict[str, list[GridEvent]]:
    """The phone page: what waits for this user to act (to sign, to handle, to verify in their
    grids) and what they reported lately. Three queries."""
    base = GridEvent.objects.visible_to(user).select_related("category", "grid", "assigned_unit")
    handles = user.units_for("grid.handle")
    own_village = Q(assigned_unit=F("grid__unit"), grid__in=worked_grids(user))
    mine = own_village | (handles.q("assigned_unit") if handles else Q(pk__in=[]))
    todo = list(base.filter(mine, state__in=UNANSWERED).order_by("due_at", "pk")[:50])
    verify = list(base.filter(grid__in=worked_grids(user), state=State.FED_BACK).order_by("fed_back_at")[:50])
    reported = list(base.filter(reported_by=user).order_by("-reported_at", "-pk")[:20])
    return {"todo": todo, "verify": verify, "reported": reported}


def event_timeline(event: GridEvent) -> list:
    return list(event.steps.select_related("actor").order_by("time", "pk"))


def grid_choices(user) -> QuerySet[Grid]:
    """Grids a user may report in: the ones they work, or all for the centre."""
    grids = Grid.objects.filter(is_active=True).select_related("unit")
    if user.can("grid.dispatch"):
        return grids
    return grids.filter(pk__in=worked_grids(user))


def unit_choices(user):
    units = OrgUnit.objects.filter(is_active=True).only("pk", "name")
    return units if user.can("grid.read_all") else units.filter(user.scope_units().q("pk"))


# ---------------------------------------------------------------- the cockpit tile


@dataclass
class ClassCount:
    category: EventCategory
    open: int
    overdue: int


def open_by_class(user, now: dt.datetime) -> list[ClassCount]:
    """Events open and overdue (unanswered past the limit) per top-level class, scoped: three queries."""
    classes = list(EventCategory.objects.filter(parent__isnull=True).order_by("order", "pk"))
    counts = {c.pk: ClassCount(c, 0, 0) for c in classes}
    # Grouped by the category's id, its class looked up here: no join over every open event.
    tops = {pk: int(path.split(".", 1)[0]) for pk, path in EventCategory.objects.values_list("pk", "path")}
    rows = (GridEvent.objects.visible_to(user).filter(state__in=OPEN)
            .values("category")
            .annotate(open=Count("pk"), overdue=Count("pk", filter=GridEvent.open_overdue_q(now))).order_by())
    for row in rows:
        top = tops[row["category"]]
        if top in counts:
            counts[top].open += row["open"]
            counts[top].overdue += row["overdue"]
    return [c for c in counts.values() if c.open or c.overdue]


# ---------------------------------------------------------------- performance


def min_sample() -> int:
    return settings.YUANQU_GRID_MIN_SAMPLE


@dataclass
class Figures:
    who: object  # an OrgUnit or a User
    total: int
    answered: int  # fed back (and not refused on verification since)
    on_time: int
    open_overdue: int
    closed: int
    satisfaction: float | None
    rated: int
    valid: int = 0  # a worker's reports accepted (not 不予受理)
    rank: int | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def closure_share(self) -> float | None:
        return self.closed / self.total if self.total else None


def _aggregates(now: dt.datetime) -> dict:
    answered = Q(fed_back_at__isnull=False)
    return {
        "total": Count("pk"),
        "answered": Count("pk", filter=answered),
        "on_time": Count("pk", filter=answered & Q(fed_back_at__lte=F("due_at"))),
        "open_overdue": Count("pk", filter=GridEvent.open_overdue_q(now)),
        "closed": Count("pk", filter=Q(state__in=FINISHED)),
        "mean": Avg("satisfaction"),
        "rated": Count("satisfaction"),
        "valid": Count("pk", filter=~Q(state__in=(State.REPORTED, State.REJECTED))),
    }


def _rank(figures: list[Figures], sample) -> list[Figures]:
    """Those with at least the minimum sample are ranked by on-time share, then closure, then
    satisfaction; the rest are listed unranked (too few to compare)."""
    enough = min_sample()
    ranked = sorted((f for f in figures if sample(f) >= enough),
                    key=lambda f: (-(f.on_time_share or 0), -(f.closure_share or 0), -(f.satisfaction or 0), str(f.who)))
    for place, f in enumerate(ranked, start=1):
        f.rank = place
    return ranked + sorted((f for f in figures if sample(f) < enough), key=lambda f: str(f.who))


def _year(qs, year):
    return qs.filter(reported_at__year=year) if year else qs


def unit_figures(user, now: dt.datetime, *, year: int | None = None) -> list[Figures]:
    """Per handling unit, of the events dispatched to it: answered, on time, open past the limit,
    closed, mean satisfaction. Ranked on events answered. Two queries."""
    qs = _year(GridEvent.objects.visible_to(user).filter(assigned_unit__isnull=False), year)
    rows = list(qs.values("assigned_unit").annotate(**_aggregates(now)).order_by())
    units = OrgUnit.objects.in_bulk([r["assigned_unit"] for r in rows])
    return _rank([_figures(units[r["assigned_unit"]], r) for r in rows], lambda f: f.answered)


def worker_figures(user, now: dt.datetime, *, year: int | None = None) -> list[Figures]:
    """Per reporting grid worker, of the events they reported: valid (accepted), closed, on time,
    mean satisfaction. Ranked on events reported. Two queries."""
    qs = _year(GridEvent.objects.visible_to(user).filter(reported_by__isnull=False), year)
    rows = list(qs.values("reported_by").annotate(**_aggregates(now)).order_by())
    people = User.objects.in_bulk([r["reported_by"] for r in rows])
    return _rank([_figures(people[r["reported_by"]], r) for r in rows], lambda f: f.total)


def _figures(who, row) -> Figures:
    return Figures(who=who, total=row["total"], answered=row["answered"], on_time=row["on_time"],
                   open_overdue=row["open_overdue"], closed=row["closed"],
                   satisfaction=float(row["mean"]) if row["mean"] is not None else None, rated=row["rated"],
                   valid=row["valid"])
