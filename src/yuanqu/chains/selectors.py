"""Gap analysis of a chain: per node, the park's enterprises and their output over the node's
subtree, and its status — 缺失 (nothing in the park: 补链), 薄弱 (below the thresholds: 强链),
延链 (an extension node not yet filled) or 较强. Two queries for any number of chains and nodes.

Other registers feed further figures per node (open leads, projects, target companies) through
`register_node_source(key, label, counter)`: `counter(node_ids) -> {node_id: number}`, called once
per analysis with every node id; the figures appear beside the enterprises (per node, not rolled
up). The status reads enterprises only until those registers exist.

For a gap, registers also give the 招商局's call list through `register_call_list(key, label,
lister)`: `lister(user, node) -> [CallEntry]`, the records on the node and below it that this user
may see (target companies that lead the link elsewhere, open leads), each with a link. A lister
runs a fixed number of queries whatever the node holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.trees import ancestor_ids

from .models import Chain, ChainNode, NodeEnterprise


class Status(models.TextChoices):
    MISSING = "missing", _("缺失")
    WEAK = "weak", _("薄弱")
    EXTENSION = "extension", _("延链")
    STRONG = "strong", _("较强")


# What the 招商局 does about each status, and the colour the chain page draws it in.
ACTION = {Status.MISSING: "补链", Status.WEAK: "强链", Status.EXTENSION: "延链", Status.STRONG: ""}
COLOUR = {Status.MISSING: "#dc3545", Status.WEAK: "#fd7e14", Status.EXTENSION: "#6f42c1", Status.STRONG: "#198754"}


@dataclass(frozen=True)
class NodeSource:
    key: str
    label: str
    counter: Callable[[list[int]], dict[int, int]]


NODE_SOURCES: dict[str, NodeSource] = {}


def register_node_source(key: str, label: str, counter: Callable[[list[int]], dict[int, int]]) -> None:
    NODE_SOURCES[key] = NodeSource(key, label, counter)


@dataclass(frozen=True)
class CallEntry:
    name: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class CallList:
    key: str
    label: str
    lister: Callable[[object, ChainNode], list[CallEntry]]
    more_url: Callable[[ChainNode], str] | None = None  # the register's list behind it, filtered to the node


CALL_LISTS: dict[str, CallList] = {}


def register_call_list(key: str, label: str, lister: Callable[[object, ChainNode], list[CallEntry]],
                       more_url: Callable[[ChainNode], str] | None = None) -> None:
    CALL_LISTS[key] = CallList(key, label, lister, more_url)


def call_lists(user, node: ChainNode) -> list[dict]:
    """Each register's entries for the node (and below it), as the node panel lists them."""
    return [{"key": c.key, "label": c.label, "entries": c.lister(user, node),
             "more_url": c.more_url(node) if c.more_url else ""} for c in CALL_LISTS.values()]


@dataclass
class NodeGap:
    node: ChainNode
    depth: int
    enterprises: int = 0
    output: Decimal = Decimal("0")
    min_enterprises: int = 0
    min_output: Decimal = Decimal("0")
    status: str = Status.MISSING
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def action(self) -> str:
        return ACTION[Status(self.status)]

    @property
    def colour(self) -> str:
        return COLOUR[Status(self.status)]


def classify(*, enterprises: int, output: Decimal, min_enterprises: int, min_output: Decimal,
             is_extension: bool) -> str:
    if enterprises == 0:
        return Status.EXTENSION if is_extension else Status.MISSING
    if enterprises < min_enterprises or (min_output > 0 and output < min_output):
        return Status.WEAK
    return Status.STRONG


def tree_order(nodes: list[ChainNode]) -> list[ChainNode]:
    """Parents before children, siblings by their `order` then id (paths alone order by id)."""
    by_id = {n.pk: n for n in nodes}

    def key(node):
        return [(by_id[i].order, i) if i in by_id else (0, i) for i in ancestor_ids(node.path)]

    return sorted(nodes, key=key)


def gaps_for_chains(chains: Iterable[Chain]) -> dict[int, list[NodeGap]]:
    """Each chain's nodes in tree order with their gap figures and status."""
    chains = {c.pk: c for c in chains}
    nodes = list(ChainNode.objects.filter(chain__in=list(chains)))
    placements = NodeEnterprise.objects.filter(node__chain__in=list(chains)).values_list(
        "node__path", "enterprise_id", "output")
    # An enterprise on two nodes of one subtree counts once there, with its larger output.
    best: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for path, enterprise_id, output in placements:
        for node_id in ancestor_ids(path):
            seen = best[node_id]
            seen[enterprise_id] = max(seen.get(enterprise_id, Decimal("0")), output or Decimal("0"))
    extras = {s.key: s.counter([n.pk for n in nodes]) for s in NODE_SOURCES.values()} if nodes else {}
    result: dict[int, list[NodeGap]] = {pk: [] for pk in chains}
    for node in tree_order(nodes):
        chain = chains[node.chain_id]
        found = best.get(node.pk, {})
        gap = NodeGap(
            node=node, depth=node.depth, enterprises=len(found), output=sum(found.values(), Decimal("0")),
            min_enterprises=node.min_enterprises if node.min_enterprises is not None else chain.weak_min_enterprises,
            min_output=node.min_output if node.min_output is not None else chain.weak_min_output,
            extra={key: counts.get(node.pk, 0) for key, counts in extras.items()},
        )
        gap.status = classify(enterprises=gap.enterprises, output=gap.output, min_enterprises=gap.min_enterprises,
                              min_output=gap.min_output, is_extension=node.is_extension)
        result[node.chain_id].append(gap)
    return result


def chain_gaps(chain: Chain) -> list[NodeGap]:
    return gaps_for_chains([chain])[chain.pk]


def status_counts(gaps: list[NodeGap]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for gap in gaps:
        counts[gap.status] += 1
    return counts


def chain_tree(chain: Chain, gaps: list[NodeGap]) -> dict:
    """The ECharts tree: the chain at the root, each node coloured by its status."""
    root = {"name": chain.name, "id": 0, "children": []}
    items = {None: root}
    for gap in gaps:
        node = gap.node
        item = {
            "name": node.name, "id": node.pk, "code": node.code, "status": gap.status_label,
            "action": gap.action, "enterprises": gap.enterprises, "output": float(gap.output),
            "itemStyle": {"color": gap.colour, "borderColor": gap.colour}, "children": [],
        }
        items[node.pk] = item
        items.get(node.parent_id, root)["children"].append(item)
    return root


def node_placements(node: ChainNode):
    """The enterprises on the node and below it, with the node each sits on."""
    return (NodeEnterprise.objects.filter(node__chain_id=node.chain_id, node__path__startswith=node.path)
            .select_related("enterprise", "node").order_by("-output", "enterprise__name", "pk"))
