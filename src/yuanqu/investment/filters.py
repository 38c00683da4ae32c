"""The lead list's GET filters (stage, unit, mode, q), shared by the page, its export, the board
and the API so they all select the same leads. Invalid values are ignored."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuanqu.core.ids import parse_id

from .models import AttractionMode, Lead, Stage, TargetCompany


@dataclass(frozen=True)
class LeadFilters:
    stage: str = ""
    unit: int | str = ""
    mode: int | str = ""
    q: str = ""

    def labels(self, units=(), modes=()) -> list[str]:
        """"阶段：洽谈", "责任单位：招商局" … for the export's note line."""
        out = []
        if self.stage:
            out.append(f"阶段：{Stage(self.stage).label}")
        if self.unit:
            out.append("责任单位：" + next((u.name for u in units if u.pk == self.unit), "（不存在）"))
        if self.mode:
            out.append("招商方式：" + next((m.name for m in modes if m.pk == self.mode), "（不存在）"))
        if self.q:
            out.append(f"搜索：“{self.q}”")
        return out


def parse_lead_filters(params) -> LeadFilters:
    return LeadFilters(
        stage=params.get("stage") if params.get("stage") in Stage.values else "",
        unit=parse_id(params.get("unit")) or "",
        mode=parse_id(params.get("mode")) or "",
        q=(params.get("q") or "").strip()[:100],
    )


def filter_leads(user, params, *, stage: bool = True) -> tuple[LeadFilters, QuerySet[Lead]]:
    """The user's leads for these parameters, with what a row shows selected (one query).
    `stage=False` ignores the stage filter (the board shows every stage as a column)."""
    filters = parse_lead_filters(params)
    qs = Lead.objects.visible_to(user).select_related("unit", "mode", "owner", "company", "chain_node__chain")
    if filters.stage and stage:
        qs = qs.filter(stage=filters.stage)
    if filters.unit:
        qs = qs.filter(unit=filters.unit)
    if filters.mode:
        qs = qs.filter(mode=filters.mode)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(investor__icontains=filters.q)
                       | Q(industry__icontains=filters.q) | Q(company__name__icontains=filters.q))
    return filters, qs


@dataclass(frozen=True)
class CompanyFilters:
    kind: str = ""
    tag: int | str = ""
    q: str = ""


def filter_companies(user, params) -> tuple[CompanyFilters, QuerySet[TargetCompany]]:
    filters = CompanyFilters(
        kind=params.get("kind") if params.get("kind") in TargetCompany.Kind.values else "",
        tag=parse_id(params.get("tag")) or "",
        q=(params.get("q") or "").strip()[:100],
    )
    qs = TargetCompany.objects.visible_to(user).select_related("chain_node__chain").prefetch_related("tags")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(pk__in=TargetCompany.tags.through.objects.filter(companytag=filters.tag).values("targetcompany"))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(industry__icontains=filters.q)
                       | Q(hq_city__icontains=filters.q) | Q(hq_province__icontains=filters.q))
    return filters, qs


def active_modes():
    return AttractionMode.objects.filter(active=True)
