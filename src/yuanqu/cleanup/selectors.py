"""Reads of the clean-up register with their rules: the candidate list (the criteria evaluated over
the enterprise register), the case list's filters (page, export and API share them), a case's
steps and timeline. Each in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search, Year
from yuanqu.enterprises.models import Enterprise, EnterpriseFigure
from yuanqu.org.models import OrgUnit

from . import criteria
from .models import Case, CaseStep, Category, Criterion, Method, State


def default_year(on: dt.date) -> int:
    """The latest year whose yearly figures are in: last year."""
    return on.year - 1


def rules(category: str = "") -> list[criteria.Rule]:
    qs = Criterion.objects.filter(is_active=True)
    if category:
        qs = qs.filter(category=category)
    return [criteria.Rule(id=c.pk, category=c.category, name=c.name, kind=c.kind, indicator=c.indicator,
                          comparator=c.comparator, threshold=c.threshold, years=c.years, field=c.field)
            for c in qs.order_by("category", "order", "pk")]


def facts_for(enterprises: list[Enterprise], rule_list: list[criteria.Rule], year: int) -> list[criteria.Facts]:
    """The facts the rules read, for these enterprises: two queries (current figures, idle parcels)."""
    ids = [e.pk for e in enterprises]
    facts = {e.pk: criteria.Facts(enterprise_id=e.pk, registered_on=e.registered_on,
                                  fields={f: getattr(e, f"{f}_id" if f in ("industry", "liaison_unit") else f)
                                          for f in criteria.FIELDS}) for e in enterprises}
    keys = {r.indicator for r in rule_list if r.kind in ("figure", "no_figure")}
    if keys and ids:
        rows = (EnterpriseFigure.objects.filter(enterprise__in=ids, year__in=list(criteria.years_needed(rule_list, year)),
                                                indicator__key__in=keys)
                .values_list("enterprise_id", "year", "indicator__key", "value").order_by("version"))
        for enterprise_id, y, key, value in rows:  # the highest version is read last and wins
            facts[enterprise_id].figures[(y, key)] = value
    if ids and any(r.kind == "idle_land" for r in rule_list):
        through = Enterprise.parcels.through
        for enterprise_id, code in (through.objects.filter(enterprise__in=ids, parcel__status="idle")
                                    .values_list("enterprise_id", "parcel__code").order_by("parcel__code")):
            facts[enterprise_id].idle_parcels.append(code)
    return list(facts.values())


@dataclass
class CandidateRow:
    enterprise: Enterprise
    category: str
    met: list[criteria.Met]
    case: Case | None  # the decision already taken for this year, if any

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)

    @property
    def met_text(self) -> str:
        return "；".join(f"{m.name}（{m.detail}）" for m in self.met)


@dataclass(frozen=True)
class CandidateFilters:
    year: int
    category: str = ""
    show: str = ""  # "" undecided only, "all" with the decided ones
    q: str = ""

    def labels(self) -> list[str]:
        out = [f"评估年度：{self.year}"]
        if self.category:
            out.append(f"类别：{Category(self.category).label}")
        out.append("含已认定和已排除" if self.show == "all" else "只看待认定")
        if self.q:
            out.append(f"搜索：“{self.q}”")
        return out


def criteria_met(enterprise: Enterprise, category: str, year: int):
    """What the enterprise meets of the category's criteria in the year (empty: not a candidate);
    for the decision and for an import's preview, one rule."""
    rule_list = rules(category)
    return criteria.evaluate(rule_list, facts_for([enterprise], rule_list, year), year)


def parse_candidate_filters(params, on: dt.date) -> CandidateFilters:
    raw = str(params.get("year") or "")
    year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else default_year(on)
    return CandidateFilters(year=year, category=params.get("category") if params.get("category") in Category.values
                            else "", show="all" if params.get("show") == "all" else "",
                            q=(params.get("q") or "").strip()[:100])


def candidates(user, filters: CandidateFilters, *, enterprise: Enterprise | None = None) -> list[CandidateRow]:
    """The candidate list for a year: every enterprise meeting a criterion, with the decision already
    taken, if any. Four queries: criteria, enterprises, figures, idle parcels (and the decisions)."""
    if not user.can("cleanup.read_all") and not user.can("cleanup.manage"):
        return []
    rule_list = rules(filters.category)
    if not rule_list:
        return []
    qs = Enterprise.objects.all().select_related("liaison_unit").order_by("name", "pk")
    if enterprise is not None:
        qs = qs.filter(pk=enterprise.pk)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(credit_code__icontains=filters.q))
    enterprises = list(qs)
    by_id = {e.pk: e for e in enterprises}
    found = criteria.evaluate(rule_list, facts_for(enterprises, rule_list, filters.year), filters.year)
    decided = {(c.enterprise_id, c.category): c for c in
               Case.objects.filter(year=filters.year, enterprise__in=[c.enterprise_id for c in found])}
    rows = [CandidateRow(by_id[c.enterprise_id], c.category, c.met, decided.get((c.enterprise_id, c.category)))
            for c in found]
    if filters.show != "all":
        rows = [r for r in rows if r.case is None]
    return rows


# ---------------------------------------------------------------- cases


def _late_steps_q(on: dt.date) -> Q:
    return Q(pk__in=CaseStep.objects.filter(done_on__isnull=True, planned_on__lt=on).values("case"))


CASE_FILTERS = ListFilters(
    Choice("category", Category, "类别", doc="清理类别"),
    Choice("state", State, "状态"),
    Choice("method", Method, "处置方式"),
    Ref("unit", OrgUnit, "责任单位", doc="责任单位 id"),
    Year("year", "评估年度"),
    Flag("late", "只看有逾期步骤的", q=_late_steps_q, doc="为 1 时只看有逾期步骤的"),
    Search(("enterprise__name", "reason"), doc="企业或理由中包含的文字"),
)


def filter_cases(user, params, on: dt.date) -> tuple[Chosen, QuerySet[Case]]:
    """The cases the page, the export and the API list: scoped, filtered, newest first, with their
    step counts (one query)."""
    filters = CASE_FILTERS.parse(params)
    late = Q(steps__done_on__isnull=True, steps__planned_on__lt=on)
    qs = (Case.objects.visible_to(user).select_related("enterprise", "unit", "decided_by")
          .annotate(step_count=Count("steps"), steps_done=Count("steps", filter=Q(steps__done_on__isnull=False)),
                    steps_late=Count("steps", filter=late)))
    return filters, filters.apply(qs, on).order_by("-decided_on", "-pk")


def case_steps(case: Case) -> list[CaseStep]:
    return list(case.steps.order_by("order", "pk"))


def case_timeline(case: Case) -> list:
    return list(case.events.select_related("actor").order_by("time", "pk"))


def unit_choices(user):
    units = OrgUnit.objects.filter(is_active=True).only("pk", "name")
    return units if user.can("cleanup.read_all") else units.filter(user.scope_units().q("pk"))


def enterprise_cases(user, enterprise: Enterprise) -> list[Case]:
    """The enterprise page's panel: its cases the user may read (one query)."""
    return list(Case.objects.visible_to(user).filter(enterprise=enterprise).select_related("unit")
                .order_by("-year", "category"))
