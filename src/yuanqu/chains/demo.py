"""Demo chains for `yuanqu demo`: the four starter chains, led by the 招商局, with made-up
enterprises on some nodes so that every status shows (filled, weak, missing, extension)."""

from __future__ import annotations

import random
from decimal import Decimal

from yuanqu.core.services import forget_history
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import services
from .models import Chain, ChainNode, NodeEnterprise
from .seed import SEGMENT_NAMES, TREES, seed_rows

# Nodes the demo leaves as extension directions (扩链/延链) rather than links the park should have.
EXTENSIONS = {"豪华邮轮": {"D7"}, "智能制造": {"M5", "D6"}, "现代建筑": {"D5"}, "汽车配件": {"D4"}}


def clear_demo() -> int:
    removed = 0
    for model in (NodeEnterprise, ChainNode, Chain):
        ids = list(model.objects.filter(is_demo=True).values_list("pk", flat=True))
        if model is ChainNode:
            # Children first: nodes protect their parents.
            for node in model.objects.filter(pk__in=ids).order_by("-path"):
                node.delete()
        else:
            model.objects.filter(pk__in=ids).delete()
        forget_history(model, ids)
        removed += len(ids)
    return removed


def build_demo(*, today) -> None:
    rng = random.Random(20260315)
    pool = list(Enterprise.objects.filter(is_demo=True).order_by("pk"))
    rng.shuffle(pool)
    lead = OrgUnit.objects.filter(name="招商局").first()
    for order, (name, text) in enumerate(TREES.items()):
        chain = services.chain_create(actor=None, is_demo=True, data={
            "name": name, "lead_unit": lead, "order": order, "weak_min_enterprises": 2,
            "weak_min_output": Decimal("5"),
            "description": "起步数据，据产业研究整理，待园区核实调整。",
        })
        by_level: dict[int, ChainNode] = {}
        leaves = []
        for level, code, node_name in seed_rows(text):
            parent = by_level.get(level - 1) if level > 1 else None
            node = services.node_create(actor=None, chain=chain, is_demo=True, data={
                "code": code, "name": node_name, "parent": parent,
                "segment": SEGMENT_NAMES[code[0]][0], "is_extension": code in EXTENSIONS[name],
            })
            by_level[level] = node
            if level >= 2 and code not in EXTENSIONS[name]:
                leaves.append(node)
        # About half the links have firms: some strong, some weak, the rest missing.
        for node in rng.sample(leaves, k=len(leaves) // 2):
            for i in range(rng.choice([1, 1, 2, 3])):
                if not pool:
                    return
                services.placement_create(
                    actor=None, node=node, enterprise=pool.pop(), is_demo=True,
                    role=NodeEnterprise.Role.HEAD if i == 0 and rng.random() < 0.4 else NodeEnterprise.Role.SUPPORTING,
                    output=Decimal(rng.randint(5, 400)) / 10,
                )
