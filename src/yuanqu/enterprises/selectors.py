"""Reads of the enterprise register, always from `visible_to(user)`: the filtered list, an
enterprise's figures by year with their versions, and the growth tiers computed from the figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.listfilters import MISSING, Choice, Chosen, Filter, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import (
    Enterprise,
    EnterpriseFigure,
    EnterpriseTag,
    Indicator,
    IndustryDivision,
    IndustrySection,
    TierStep,
)

# ---------------------------------------------------------------- figures


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def current_figures(indicator_ids, years, *, enterprises=None, as_of: dt.date | None = None
                    ) -> dict[tuple[int, int, int], Decimal]:
    """The current value (the highest version, among those recorded by `as_of`) of each
    (enterprise id, year, indicator id), in one query."""
    qs = EnterpriseFigure.objects.filter(indicator_id__in=list(indicator_ids), year__in=list(years))
    if enterprises is not None:
        qs = qs.filter(enterprise__in=enterprises)
    if as_of is not None:
        qs = qs.filter(created_at__lt=_end_of(as_of))
    values = {}
    for enterprise_id, year, indicator_id, value in qs.order_by("version").values_list(
            "enterprise_id", "year", "indicator_id", "value"):
        values[(enterprise_id, year, indicator_id)] = value
    return values


def latest_year() -> int:
    """The year the tier pages open on: the latest with figures, else last year."""
    return EnterpriseFigure.objects.aggregate(y=Max("year"))["y"] or clock.today().year - 1


@dataclass
class FigureLine:
    indicator: Indicator
    current: EnterpriseFigure
    versions: list[EnterpriseFigure]  # oldest first


def enterprise_figures(enterprise: Enterprise) -> list[tuple[int, list[FigureLine]]]:
    """The enterprise's figures by year (newest first), each indicator's current value and every
    version with its source, in one query."""
    by_year: dict[int, dict[int, list[EnterpriseFigure]]] = defaultdict(lambda: defaultdict(list))
    figures = (EnterpriseFigure.objects.filter(enterprise=enterprise)
               .select_related("indicator", "source", "created_by").order_by("year", "indicator__order", "version"))
    for figure in figures:
        by_year[figure.year][figure.indicator_id].append(figure)
    return [(year, [FigureLine(v[-1].indicator, v[-1], v) for v in lines.values()])
            for year, lines in sorted(by_year.items(), reverse=True)]


# ---------------------------------------------------------------- tiers


def active_steps() -> list[TierStep]:
    return list(TierStep.objects.filter(is_active=True).select_related("indicator").order_by("ladder", "rank"))


def step_tiers(year: int, steps: list[TierStep], *, enterprises=None, as_of=None,
               values: dict | None = None) -> dict[int, TierStep]:
    """Each enterprise's highest 上台阶 step reached in `year` (enterprises below every step absent)."""
    ladder = [s for s in steps if s.ladder == TierStep.Ladder.STEP]
    if values is None:
        values = current_figures({s.indicator_id for s in ladder}, [year], enterprises=enterprises, as_of=as_of)
    tiers: dict[int, TierStep] = {}
    for (enterprise_id, y, indicator_id), value in values.items():
        if y != year:
            continue
        for step in ladder:  # by rank, low to high
            if step.indicator_id == indicator_id and value >= step.threshold:
                if enterprise_id not in tiers or tiers[enterprise_id].rank < step.rank:
                    tiers[enterprise_id] = step
    return tiers


def moved_up_counts(years, steps: list[TierStep], *, as_of=None) -> dict[int, int]:
    """How many enterprises stand on a higher 上台阶 step in each year than the year before (one query)."""
    ladder = [s for s in steps if s.ladder == TierStep.Ladder.STEP]
    wanted = {y for year in years for y in (year - 1, year)}
    values = current_figures({s.indicator_id for s in ladder}, wanted, as_of=as_of)
    return {year: len(_moved(step_tiers(year, steps, values=values), step_tiers(year - 1, steps, values=values)))
            for year in years}


def _moved(now: dict[int, TierStep], before: dict[int, TierStep]) -> dict[int, tuple]:
    return {e: (before.get(e), step) for e, step in now.items()
            if before.get(e) is None or before[e].rank < step.rank}


@dataclass
class Candidate:
    enterprise: Enterprise
    step: TierStep
    value: Decimal

    @property
    def share(self) -> Decimal:
        return (self.value / self.step.threshold * 100).quantize(Decimal("0.1")) if self.step.threshold else Decimal(0)


@dataclass
class TierReport:
    year: int
    steps: list[TierStep]
    counts: dict[int, int] = field(default_factory=dict)  # step id → enterprises at that step
    moved_up: list[tuple[Enterprise, TierStep | None, TierStep]] = field(default_factory=list)
    new_above_scale: list[Enterprise] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def tier_report(user, year: int) -> TierReport:
    """The growth-tier page: who is at which step, who moved up this year (上台阶 and 小升规) and
    who is within each step's candidate share of the next one — a fixed number of queries."""
    steps = active_steps()
    visible = Enterprise.objects.visible_to(user)
    report = TierReport(year=year, steps=steps)
    values = current_figures({s.indicator_id for s in steps}, [year - 1, year], enterprises=visible.values("pk"))
    now = step_tiers(year, steps, values=values)
    before = step_tiers(year - 1, steps, values=values)
    for step in now.values():
        report.counts[step.pk] = report.counts.get(step.pk, 0) + 1
    year_end = dt.date(year, 12, 31)
    scale_steps = [s for s in steps if s.ladder == TierStep.Ladder.SCALE]
    ladder = [s for s in steps if s.ladder == TierStep.Ladder.STEP]

    wanted: dict[int, list] = defaultdict(list)  # enterprise id → what to list it under
    for enterprise_id, (was, step) in _moved(now, before).items():
        wanted[enterprise_id].append(("moved", was, step))
    for (enterprise_id, y, indicator_id), value in values.items():
        if y != year:
            continue
        current = now.get(enterprise_id)
        following = next((s for s in ladder if s.indicator_id == indicator_id
                          and (current is None or s.rank > current.rank)), None)
        if following and following.threshold * following.candidate_share <= value < following.threshold:
            wanted[enterprise_id].append(("candidate", following, value))
        for step in scale_steps:
            if step.indicator_id == indicator_id and value >= step.threshold * step.candidate_share:
                wanted[enterprise_id].append(("scale_candidate", step, value))
    enterprises = {e.pk: e for e in visible.filter(Q(pk__in=list(wanted)) | Q(above_scale_since__year=year))
                   .select_related("industry", "liaison_unit")}
    for enterprise in sorted(enterprises.values(), key=lambda e: e.name):
        if enterprise.above_scale_since and enterprise.above_scale_since.year == year:
            report.new_above_scale.append(enterprise)
        for kind, a, b in wanted.get(enterprise.pk, []):
            if kind == "moved":
                report.moved_up.append((enterprise, a, b))
            elif kind == "candidate":
                report.candidates.append(Candidate(enterprise, a, b))
            elif not enterprise.above_scale_since or enterprise.above_scale_since > year_end:
                report.candidates.append(Candidate(enterprise, a, b))  # 规下, near the 规上 line
    report.moved_up.sort(key=lambda row: (-row[2].rank, row[0].name))
    report.candidates.sort(key=lambda c: (c.step.ladder, -c.step.rank, -(c.value / c.step.threshold)))
    return report


# ---------------------------------------------------------------- the list


class Industry(Filter):
    """A section letter (C) or a division code (34); labelled by the section's or division's name."""

    def clean(self, raw):
        code = (raw or "").strip().upper()
        return code if (len(code) == 1 and code.isalpha()) or (len(code) == 2 and code.isdigit()) else ""

    def label(self, value, names, chosen):
        model = IndustrySection if value.isalpha() else IndustryDivision
        return f"{self.title}：{model.objects.filter(code=value).first() or MISSING}"

    def apply(self, qs, value, on):
        return qs.filter(industry__section__code=value) if value.isalpha() else qs.filter(industry__code=value)


def _scale(qs: QuerySet, scale: str, on) -> QuerySet:
    return qs.filter(above_scale_since__isnull=scale != Enterprise.Scale.ABOVE)


def _tier(qs: QuerySet, tier_id: int, on) -> QuerySet:
    """The tier reads the latest year's figures (one query more)."""
    step = TierStep.objects.filter(pk=tier_id).first()
    if step is None:
        return qs.none()
    if step.ladder == TierStep.Ladder.SCALE:
        return qs.filter(above_scale_since__year=latest_year())
    tiers = step_tiers(latest_year(), active_steps())
    return qs.filter(pk__in=[e for e, s in tiers.items() if s.pk == step.pk])


ENTERPRISE_FILTERS = ListFilters(
    Industry("industry", "行业", doc="行业门类字母（如 C）或大类代码（如 34）"),
    Choice("scale", Enterprise.Scale, "规模", apply=_scale),
    Ref("tag", EnterpriseTag, "标签", text=str, doc="标签 id",
        apply=lambda qs, tag, on: qs.filter(pk__in=Enterprise.tags.through.objects.filter(tag=tag).values("enterprise"))),
    Ref("tier", TierStep, "梯队", text=str, apply=_tier, doc="梯队 id（按最近年度的数据）"),
    Ref("unit", OrgUnit, "挂钩单位", text=str, lookup="liaison_unit", doc="挂钩单位 id"),
    Search(("name", "credit_code", "address"), doc="名称、代码或地址中包含的文字"),
)


def filter_enterprises(user, params) -> tuple[Chosen, QuerySet[Enterprise]]:
    """The enterprises the page, the export and the API list: scoped, filtered, by name; values that
    are not valid are ignored. The tier filter reads the latest year's figures (one query more)."""
    filters = ENTERPRISE_FILTERS.parse(params)
    qs = (Enterprise.objects.visible_to(user)
          .select_related("industry__section", "liaison_unit", "liaison_leader").prefetch_related("tags"))
    return filters, filters.apply(qs).order_by("name", "pk")


def enterprise_history(enterprise: Enterprise) -> list[dict]:
    return describe_changes(history_for(enterprise).select_related("actor"), Enterprise)


def enterprise_sections(user, enterprise: Enterprise) -> list[dict]:
    """What the enterprise page gathers from other registers, each a titled list of rows; a
    register adds its own section here (chain nodes and land now; 亩均 class, visits, requests,
    projects as those registers come)."""
    from yuanqu.chains.models import NodeEnterprise
    from yuanqu.visits.models import EnterpriseRequest, Visit

    placements = (NodeEnterprise.objects.visible_to(user).filter(enterprise=enterprise)
                  .select_related("node__chain").order_by("node__chain__order", "node__path"))
    parcels = enterprise.parcels.all().order_by("code")
    return [*_mujun_sections(user, enterprise),
        {"title": "产业链节点", "empty": "未列入产业链节点。", "rows": [
            {"text": f"{p.node.chain.name} › {p.node.code} {p.node.name}", "extra": p.role_label,
             "url": reverse("chains:detail", args=[p.node.chain_id])} for p in placements]},
        {"title": "用地", "empty": "未关联地块。", "rows": [
            {"text": f"{p.code} {p.name}", "extra": f"{p.area_mu} 亩", "url": reverse("land:detail", args=[p.pk])} for p in parcels]},
        {"title": "走访", "empty": "没有走访记录。", "rows": [
            {"text": f"{v.visited_on:%Y-%m-%d} {v.visitors}", "extra": v.unit.name, "url": reverse("visits:visit", args=[v.pk])}
            for v in Visit.objects.visible_to(user).filter(enterprise=enterprise).select_related("unit")]},
        {"title": "诉求", "empty": "没有企业诉求。", "rows": [
            {"text": f"{r.category.name}：{r.text[:40]}", "extra": r.get_state_display(),
             "url": reverse("visits:request", args=[r.pk])}
            for r in EnterpriseRequest.objects.visible_to(user).filter(enterprise=enterprise).select_related("category")]},
    ]


def _mujun_sections(user, enterprise: Enterprise) -> list[dict]:
    """The enterprise's 亩均 classes by year and the policies that follow its latest published class."""
    from .mujun_selectors import class_history, policies_by_class

    history = class_history(user, enterprise)
    published = next((r for r in history if r.run.status == "published"), None)
    policies = policies_by_class([published.class_key]).get(published.class_key, []) if published else []
    url = reverse("enterprises:mujun_result", args=[published.pk]) if published else ""
    return [
        {"title": "亩均效益评价", "empty": "尚未参加亩均效益评价。", "rows": [
            {"text": f"{r.run.year}年 {r.class_key}类（{r.class_label}）"
                     + (f" {r.total.normalize()} 分" if r.total is not None else ""),
             "extra": " ".join(filter(None, [r.reason, f"上次 {r.previous_class} 类" if r.previous_class else "",
                                             "" if r.run.status == "published" else f"（{r.run.get_status_display()}）"])),
             "url": reverse("enterprises:mujun_result", args=[r.pk])} for r in history]},
        {"title": f"差别化政策（{published.class_key}类）" if published else "差别化政策",
         "empty": "没有适用的差别化政策。", "rows": [
             {"text": f"{p.get_kind_display()}：{p.text}", "extra": p.office, "url": url} for p in policies]},
    ]
