"""What 招商 tells the chain pages (chains.selectors registries): per node, the open leads and the
target companies on it; for a gap, the call list — the target companies that lead the link
elsewhere and the open leads on it and below it, as far as the person may see them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from yuanqu.chains.models import ChainNode
from yuanqu.chains.selectors import CallEntry, register_call_list, register_node_source

from .models import OPEN_STAGES, Lead, TargetCompany, place

CALL_LIMIT = 20  # per list; the link under it opens the whole list filtered to the node


def _per_node(queryset, node_ids: list[int]) -> dict[int, int]:
    rows = queryset.filter(chain_node__in=node_ids).order_by().values("chain_node").annotate(n=Count("pk"))
    return {row["chain_node"]: row["n"] for row in rows}


def open_leads_per_node(node_ids: list[int]) -> dict[int, int]:
    return _per_node(Lead.objects.filter(stage__in=OPEN_STAGES), node_ids)


def companies_per_node(node_ids: list[int]) -> dict[int, int]:
    return _per_node(TargetCompany.objects.all(), node_ids)


def _subtree(node: ChainNode) -> dict:
    return {"chain_node__chain_id": node.chain_id, "chain_node__path__startswith": node.path}


def call_companies(user, node: ChainNode) -> list[CallEntry]:
    """Target companies on the link (or below it): the firms that lead it elsewhere. One query."""
    if not user.can("investment.read_companies"):
        return []
    companies = (TargetCompany.objects.visible_to(user).filter(**_subtree(node))
                 .only("pk", "name", "kind", "hq_province", "hq_city", "industry")[:CALL_LIMIT])
    return [CallEntry(c.name, reverse("investment:company_list") + "?" + urlencode({"q": c.name}),
                      "，".join(p for p in (c.get_kind_display(), c.headquarters, c.industry) if p))
            for c in companies]


def call_leads(user, node: ChainNode) -> list[CallEntry]:
    """Open leads on the link (or below it) that the person may see, nearest next action first."""
    if not (user.can("investment.read_all") or user.can("investment.edit_leads")):
        return []
    leads = (Lead.objects.visible_to(user).filter(stage__in=OPEN_STAGES, **_subtree(node)).select_related("unit")
             .order_by("next_action_on", "-updated_at")[:CALL_LIMIT])
    return [CallEntry(lead.name, reverse("investment:lead_detail", args=[lead.pk]),
                      "，".join(p for p in (lead.get_stage_display(), lead.unit.name, lead.amount_text,
                                            place(lead.source_province, lead.source_city)) if p))
            for lead in leads]


def _list_url(name: str):
    return lambda node: reverse(name) + "?" + urlencode({"node": node.pk})


def register() -> None:
    register_node_source("investment.open_leads", "在谈招商线索", open_leads_per_node)
    register_node_source("investment.companies", "目标企业", companies_per_node)
    register_call_list("investment.companies", "目标企业（在外地领先该环节的企业）", call_companies,
                       _list_url("investment:company_list"))
    register_call_list("investment.leads", "在谈招商线索", call_leads, _list_url("investment:lead_list"))
