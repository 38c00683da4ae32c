"""The lead list's GET filters (stage, unit, mode, q; the map's province and city; the chain page's
node), shared by the page, its export, the board, the funnel and the API so they all select the
same leads. Invalid values are ignored."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuanqu.chains.models import ChainNode
from yuanqu.core import clock
from yuanqu.core.ids import parse_id

from .models import AttractionMode, Lead, Stage, TargetCompany, place
from .regions import RegionError, city_key, normalise_province

# The suffixes a stored city may carry (regions.normalise_city): “深圳” finds “深圳市”.
CITY_SUFFIXES = ("", "市", "地区", "盟", "自治州")


def _province(params) -> str:
    try:
        return normalise_province((params.get("province") or "")[:30])
    except RegionError:
        return ""


def _city(params) -> str:
    return city_key((params.get("city") or "")[:30])


def _place_and_node(qs: QuerySet, province: str, city: str, node, prefix: str) -> QuerySet:
    """Narrow to a province, a city in it (any suffix) and a chain node with the nodes below it."""
    if province:
        qs = qs.filter(**{f"{prefix}_province": province})
    if city:
        qs = qs.filter(**{f"{prefix}_city__in": [city + s for s in CITY_SUFFIXES]})
    if node:
        found = ChainNode.objects.filter(pk=node).values_list("chain_id", "path").first()
        qs = qs.filter(chain_node__chain_id=found[0], chain_node__path__startswith=found[1]) if found else qs.none()
    return qs


def place_labels(filters, nodes=()) -> list[str]:
    out = []
    if filters.province or filters.city:
        out.append("地区：" + place(filters.province, filters.city))
    if filters.node:
        out.append("产业链节点：" + next((f"{n.chain.name} › {n.name}" for n in nodes if n.pk == filters.node),
                                     "（不存在）"))
    return out


@dataclass(frozen=True)
class LeadFilters:
    stage: str = ""
    unit: int | str = ""
    mode: int | str = ""
    q: str = ""
    province: str = ""
    city: str = ""
    node: int | str = ""

    def labels(self, units=(), modes=(), nodes=()) -> list[str]:
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
        return out + place_labels(self, nodes)


def parse_lead_filters(params) -> LeadFilters:
    return LeadFilters(
        stage=params.get("stage") if params.get("stage") in Stage.values else "",
        unit=parse_id(params.get("unit")) or "",
        mode=parse_id(params.get("mode")) or "",
        q=(params.get("q") or "").strip()[:100],
        province=_province(params),
        city=_city(params),
        node=parse_id(params.get("node")) or "",
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
    return filters, _place_and_node(qs, filters.province, filters.city, filters.node, "source")


@dataclass(frozen=True)
class CompanyFilters:
    kind: str = ""
    tag: int | str = ""
    q: str = ""
    province: str = ""
    city: str = ""
    node: int | str = ""


def filter_companies(user, params) -> tuple[CompanyFilters, QuerySet[TargetCompany]]:
    filters = CompanyFilters(
        kind=params.get("kind") if params.get("kind") in TargetCompany.Kind.values else "",
        tag=parse_id(params.get("tag")) or "",
        q=(params.get("q") or "").strip()[:100],
        province=_province(params),
        city=_city(params),
        node=parse_id(params.get("node")) or "",
    )
    qs = TargetCompany.objects.visible_to(user).select_related("chain_node__chain").prefetch_related("tags")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(pk__in=TargetCompany.tags.through.objects.filter(companytag=filters.tag).values("targetcompany"))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(industry__icontains=filters.q)
                       | Q(hq_city__icontains=filters.q) | Q(hq_province__icontains=filters.q))
    return filters, _place_and_node(qs, filters.province, filters.city, filters.node, "hq")


def active_modes():
    return AttractionMode.objects.filter(active=True)


def funnel_year(params) -> int | None:
    """The funnel's year: a year asked for, “all” for every year, else this year."""
    if params.get("year") == "all":
        return None
    text = params.get("year") or ""
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else clock.today().year
