"""Reads of the approvals register, always from `visible_to(user)`.

The figures against a reform target are SQL over the durations stored on each case: one query
gives, per scenario, how many cases took how many working days (a histogram); the share on time,
the median and the 90th percentile come from that histogram, so the number of queries stays fixed
however many cases there are. A case counts in the year its clock stopped (办结 or 送达, as the
scenario says), once it has stopped on or before the date asked about.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, F, Q, QuerySet, When
from django.db.models.functions import Cast, Substr

from yuanqu.core import clock as core_clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.ids import parse_id
from yuanqu.core.listfilters import Choice, Chosen, ListFilters, Ref, Search, Year
from yuanqu.org.models import OrgUnit

from . import clock
from .models import (
    END_EVENTS,
    START_EVENTS,
    Case,
    Inspection,
    ReformBundle,
    Scenario,
    ServiceItem,
    days_field,
)

S = "item__scenarios__"


# ---------------------------------------------------------------- figures against a target


def nearest_rank(histogram: list[tuple[int, int]], share: float) -> int | None:
    """The nearest-rank percentile of a histogram [(days, cases)] sorted by days."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank, seen = math.ceil(share * total), 0
    for days, n in histogram:
        seen += n
        if seen >= rank:
            return days
    return histogram[-1][0]


@dataclass
class Figures:
    cases: int = 0
    on_time: int = 0
    median: int | None = None
    p90: int | None = None

    @property
    def share(self) -> float | None:
        return self.on_time / self.cases if self.cases else None

    @property
    def late(self) -> int:
        return self.cases - self.on_time


def figures_of(histogram: dict[int, int], target: Decimal) -> Figures:
    rows = sorted(histogram.items())
    return Figures(cases=sum(n for _, n in rows), on_time=sum(n for d, n in rows if d <= target),
                   median=nearest_rank(rows, 0.5), p90=nearest_rank(rows, 0.9))


def _window(year: int, on: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), min(on, dt.date(year, 12, 31))


def scenario_clock(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Cases joined once to the scenarios of their item, with the scenario's clock picked from the
    stored columns (`clock_days`) and the day it stopped (`clock_end`). Everything is one annotate
    call, so the join through the item's scenarios is made once and each row is (case, scenario)."""
    return qs.annotate(
        sc=F(f"{S}id"), sc_bundle=F(f"{S}bundle_id"),
        clock_days=CaseWhen(*[When(**{f"{S}start_event": s, f"{S}end_event": e}, then=F(days_field(s, e)))
                              for s in START_EVENTS for e in END_EVENTS]),
        clock_end=CaseWhen(When(**{f"{S}end_event": "decided"}, then=F("decided_on")), default=F("delivered_on")),
    )


def histograms(cases: QuerySet[Case], *, bundle_ids, start: dt.date, end: dt.date,
               by_month: bool = False) -> dict:
    """{scenario id: {days: cases}} (or {(scenario id, month): …}) for clocks stopped in [start, end]."""
    qs = scenario_clock(cases).filter(sc_bundle__in=bundle_ids, clock_days__isnull=False,
                                      clock_end__gte=start, clock_end__lte=end)
    keys = ["sc", "clock_days"]
    if by_month:
        # "2026-03" from the ISO date text: native on every database (TruncMonth is a Python
        # function per row on SQLite, four times slower at 100,000 cases).
        qs = qs.annotate(month=Substr(Cast("clock_end", CharField()), 1, 7))
        keys.insert(1, "month")
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in qs.values(*keys).annotate(n=Count("pk")).order_by():
        month = dt.date(int(row["month"][:4]), int(row["month"][5:7]), 1) if by_month else None
        key = (row["sc"], month) if by_month else row["sc"]
        out[key][row["clock_days"]] += row["n"]
    return out


@dataclass
class ScenarioRow:
    scenario: Scenario
    figures: Figures
    months: list[tuple[dt.date, Figures]] = field(default_factory=list)


def bundle_figures(user, bundle: ReformBundle, on: dt.date) -> list[ScenarioRow]:
    """Every scenario of the bundle against its target, with the months of the year: 2 queries
    (the scenarios; one month-by-days histogram, whose months add up to the year)."""
    scenarios = list(bundle.scenarios.order_by("order", "pk"))
    start, end = _window(bundle.year, on)
    monthly = histograms(Case.objects.visible_to(user), bundle_ids=[bundle.pk], start=start, end=end, by_month=True)
    total: dict = defaultdict(lambda: defaultdict(int))
    for (sc, _month), hist in monthly.items():
        for days, n in hist.items():
            total[sc][days] += n
    months = [dt.date(bundle.year, m, 1) for m in range(1, end.month + 1)] if end >= start else []
    return [ScenarioRow(scenario, figures_of(total.get(scenario.pk, {}), scenario.target_days), [
        (month, figures_of(monthly.get((scenario.pk, month), {}), scenario.target_days)) for month in months])
        for scenario in scenarios]


def slowest(user, scenario: Scenario, on: dt.date, limit: int = 10) -> list[Case]:
    start, end = _window(scenario.bundle.year, on)
    column = scenario.days_field
    stop = f"{scenario.end_event}_on"
    return list(Case.objects.visible_to(user).filter(
        item__in=scenario.items.values("pk"), **{f"{column}__isnull": False, f"{stop}__gte": start, f"{stop}__lte": end})
        .select_related("item", "handling_unit").annotate(scenario_days=F(column))
        .order_by(f"-{column}", "-received_on", "pk")[:limit])


def chart_data(rows: list[ScenarioRow]) -> dict:
    """The trend chart's series (static/approvals/charts.js draws it from json_script)."""
    return {
        "months": [f"{m:%Y-%m}" for m, _ in rows[0].months] if rows else [],
        "series": [{
            "name": row.scenario.name, "target": float(row.scenario.target_days),
            "share": [round(f.share * 100, 1) if f.share is not None else None for _, f in row.months],
            "median": [f.median for _, f in row.months],
            "cases": [f.cases for _, f in row.months],
        } for row in rows],
    }


def bundles(user) -> list[ReformBundle]:
    return list(ReformBundle.objects.visible_to(user).order_by("-year", "code"))


def current_bundle(user, params, on: dt.date) -> ReformBundle | None:
    """The bundle asked for (?bundle=id), else this year's latest code, else the newest."""
    visible = ReformBundle.objects.visible_to(user)
    pk = parse_id(params.get("bundle"))
    if pk:
        return visible.filter(pk=pk).first()
    return visible.filter(year__lte=on.year).order_by("-year", "-code").first() or visible.order_by("year").first()


# ---------------------------------------------------------------- the case list


CASE_STATES = (("open", "办理中"), ("overdue", "逾期未办结"), ("decided", "已办结"), ("late", "超承诺期限办结"),
               ("suspended", "有中止"))
_STATE_Q = {
    "open": lambda: Q(decided_on__isnull=True),
    # still open past its due date (today is the platform's one clock)
    "overdue": lambda: Q(decided_on__isnull=True, due_on__lt=core_clock.today()),
    "decided": lambda: Q(decided_on__isnull=False),
    "late": lambda: Q(late=True),
    "suspended": lambda: ~Q(suspensions_text=""),
}


def _in_scenario(qs: QuerySet, scenario_id: int, on) -> QuerySet:
    return qs.filter(item__in=Scenario.items.through.objects.filter(scenario=scenario_id).values("serviceitem"))


CASE_FILTERS = ListFilters(
    Ref("item", ServiceItem, "事项", doc="事项 id"),
    Ref("scenario", Scenario, "场景", apply=_in_scenario, doc="场景 id"),
    Ref("unit", OrgUnit, "办理单位", lookup="handling_unit", doc="办理单位 id"),
    Choice("state", CASE_STATES, "状态", apply=lambda qs, state, on: qs.filter(_STATE_Q[state]())),
    Year("year", "收件年度", bounds=(2000, 2100), lookup="received_on__year"),
    Search(("number", "applicant", "item__name", "item__code"), doc="编号、申请人或事项中包含的文字"),
)


def filter_cases(user, params) -> tuple[Chosen, QuerySet[Case]]:
    """The cases the page, the export and the API list: scoped, filtered, newest first (one query)."""
    filters = CASE_FILTERS.parse(params)
    qs = Case.objects.visible_to(user).select_related("item", "handling_unit")
    return filters, filters.apply(qs).order_by("-received_on", "-pk")


# ---------------------------------------------------------------- one case


@dataclass
class ClockView:
    label: str
    target: str
    days: list
    used: int | None


def case_clocks(case: Case, today: dt.date) -> list[ClockView]:
    """The case's clock from acceptance to decision (the promised limit), and those of the
    scenarios its item belongs to, each day by day (2 queries each for the calendar)."""
    values = {name: getattr(case, name) for name, _ in clock.EVENTS}
    pauses = [clock.Pause(s.kind, s.start_on, s.end_on) for s in case.suspensions.all()]
    wanted = [("accepted", "decided", f"承诺时限 {case.item.promised_days} 个工作日，期限 "
               + (f"{case.due_on:%Y-%m-%d}" if case.due_on else "（未受理）"))]
    for scenario in case.item.scenarios.select_related("bundle").order_by("-bundle__year", "order"):
        entry = (scenario.start_event, scenario.end_event,
                 f"{scenario.bundle}·{scenario.name}：目标 {scenario.target_days.normalize():f} 个工作日")
        if entry[:2] not in [w[:2] for w in wanted]:
            wanted.append(entry)
        else:
            wanted = [(s, e, t if (s, e) != entry[:2] else f"{t}；{entry[2]}") for s, e, t in wanted]
    out = []
    for start, end, target in wanted:
        days = clock.explain_case(values, pauses, start, end, today)
        label = f"{dict(clock.EVENTS)[f'{start}_on'][:-2]}→{dict(clock.EVENTS)[f'{end}_on'][:-2]}"
        out.append(ClockView(label, target, days, getattr(case, days_field(start, end))))
    return out


def case_history(case: Case) -> list[dict]:
    return describe_changes(history_for(case).select_related("actor"), Case)


# ---------------------------------------------------------------- 审后监管


def inspections(user, params) -> QuerySet[Inspection]:
    qs = Inspection.objects.visible_to(user).select_related("case", "case__item", "checked_by")
    outcome = params.get("outcome")
    if outcome in Inspection.Outcome.values:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("outcome", "due_on", "pk")
