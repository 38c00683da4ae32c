"""The lead list's GET filters (stage, unit, mode, q; the map's province and city; the chain page's
node), shared by the page, its export, the board, the funnel and the API so they all select the
same leads. Invalid values are ignored."""

from __future__ import annotations

from django.db.models import QuerySet

from yuanqu.chains.models import ChainNode
from yuanqu.core import clock
from yuanqu.core.listfilters import Choice, Chosen, Filter, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import AttractionMode, CompanyTag, Lead, Stage, TargetCompany, place
from .regions import RegionError, city_key, normalise_province

# The suffixes a stored city may carry (regions.normalise_city): “深圳” finds “深圳市”.
CITY_SUFFIXES = ("", "市", "地区", "盟", "自治州")


class Province(Filter):
    """A province in any spelling the regions know (“广东” is 广东省); "地区：广东省 深圳市" with the city."""

    def __init__(self, prefix: str):
        super().__init__("province", "地区", lookup=f"{prefix}_province")

    def clean(self, raw):
        try:
            return normalise_province((raw or "")[:30])
        except RegionError:
            return ""

    def label(self, value, names, chosen):
        return f"{self.title}：{place(value, chosen.city)}"


class City(Filter):
    """A city by its key: “深圳” finds “深圳市” (any of the suffixes a stored city may carry)."""

    def __init__(self, prefix: str):
        super().__init__("city", "地区", lookup=f"{prefix}_city__in")

    def clean(self, raw):
        return city_key((raw or "")[:30])

    def label(self, value, names, chosen):  # said with the province, when there is one
        return None if chosen.province else f"{self.title}：{place('', value)}"

    def apply(self, qs, value, on):
        return qs.filter(**{self.lookup: [value + s for s in CITY_SUFFIXES]})


def _node_and_below(qs: QuerySet, node_id: int, on) -> QuerySet:
    found = ChainNode.objects.filter(pk=node_id).values_list("chain_id", "path").first()
    return qs.filter(chain_node__chain_id=found[0], chain_node__path__startswith=found[1]) if found else qs.none()


def _place_and_node(prefix: str) -> tuple[Filter, ...]:
    """The map's province and city and the chain page's node (with the nodes below it); the node is
    labelled from the records the page read (`labels(known={ChainNode: nodes})`, chain selected)."""
    return (Province(prefix), City(prefix),
            Ref("node", ChainNode, "产业链节点", text=lambda n: f"{n.chain.name} › {n.name}", apply=_node_and_below))


PLACE = ("province", "city", "node")


def place_labels(filters, nodes=()) -> list[str]:
    return filters.labels(known={ChainNode: nodes}, only=PLACE)


# The export labels units, modes and nodes from the records it read: labels(known={OrgUnit: …, …}).
LEAD_FILTERS = ListFilters(
    Choice("stage", Stage, "阶段"),
    Ref("unit", OrgUnit, "责任单位"),
    Ref("mode", AttractionMode, "招商方式"),
    Search(("name", "investor", "industry", "company__name")),
    *_place_and_node("source"),
)
COMPANY_FILTERS = ListFilters(
    Choice("kind", TargetCompany.Kind, "企业类别"),
    Ref("tag", CompanyTag, "企业标签", apply=lambda qs, tag, on: qs.filter(
        pk__in=TargetCompany.tags.through.objects.filter(companytag=tag).values("targetcompany"))),
    Search(("name", "industry", "hq_city", "hq_province")),
    *_place_and_node("hq"),
)


def filter_leads(user, params, *, stage: bool = True) -> tuple[Chosen, QuerySet[Lead]]:
    """The user's leads for these parameters, with what a row shows selected (one query).
    `stage=False` ignores the stage filter (the board shows every stage as a column)."""
    filters = LEAD_FILTERS.parse(params)
    qs = Lead.objects.visible_to(user).select_related("unit", "mode", "owner", "company", "chain_node__chain")
    return filters, filters.apply(qs, skip=() if stage else ("stage",))


def filter_companies(user, params) -> tuple[Chosen, QuerySet[TargetCompany]]:
    filters = COMPANY_FILTERS.parse(params)
    qs = TargetCompany.objects.visible_to(user).select_related("chain_node__chain").prefetch_related("tags")
    return filters, filters.apply(qs)


def active_modes():
    return AttractionMode.objects.filter(active=True)


def funnel_year(params) -> int | None:
    """The funnel's year: a year asked for, “all” for every year, else this year."""
    if params.get("year") == "all":
        return None
    text = params.get("year") or ""
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else clock.today().year
