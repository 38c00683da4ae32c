"""A small chain led by 招商局: 上游 › U1 › (U1.1, U1.2), 中游 › M1, 下游 › D1 (an extension)."""

import itertools

import pytest

from yuanqu.chains import services
from yuanqu.chains.models import NodeEnterprise
from yuanqu.enterprises.credit_code import check_character
from yuanqu.enterprises.models import Enterprise

_serial = itertools.count(1)


def make_enterprise(name: str) -> Enterprise:
    body = f"91320684{next(_serial):09d}"
    return Enterprise.objects.create(name=name, credit_code=body + check_character(body))


def add_node(chain, code, name, parent=None, segment="", **extra):
    return services.node_create(actor=None, chain=chain, data={
        "code": code, "name": name, "parent": parent, "segment": segment, **extra})


def place(node, enterprise, output=None, role=NodeEnterprise.Role.SUPPORTING):
    return services.placement_create(actor=None, node=node, enterprise=enterprise, output=output, role=role)


@pytest.fixture
def chain(units):
    chain = services.chain_create(actor=None, data={
        "name": "豪华邮轮", "lead_unit": units["invest"], "weak_min_enterprises": 2, "weak_min_output": 0})
    up = add_node(chain, "U", "上游", segment="up")
    u1 = add_node(chain, "U1", "设计研发", up)
    nodes = {
        "U": up, "U1": u1,
        "U1.1": add_node(chain, "U1.1", "概念设计", u1),
        "U1.2": add_node(chain, "U1.2", "详细设计", u1),
    }
    nodes["M"] = add_node(chain, "M", "中游", segment="mid")
    nodes["M1"] = add_node(chain, "M1", "薄板分段制造", nodes["M"])
    nodes["D"] = add_node(chain, "D", "下游", segment="down")
    nodes["D1"] = add_node(chain, "D1", "金融租赁与保险", nodes["D"], is_extension=True)
    chain.n = nodes
    return chain
