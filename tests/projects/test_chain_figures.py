"""Projects per chain node feed the gap analysis (chains.selectors.register_node_source)."""

import pytest

from yuanqu.chains.models import Chain, ChainNode
from yuanqu.chains.selectors import NODE_SOURCES

pytestmark = pytest.mark.django_db


def test_projects_are_counted_per_node(make_project):
    chain = Chain.objects.create(name="豪华邮轮")
    design = ChainNode.objects.create(chain=chain, name="邮轮设计", code="U1")
    interior = ChainNode.objects.create(chain=chain, name="邮轮内装", code="M1")
    make_project("内装一期", chain_node=interior)
    make_project("内装二期", chain_node=interior)
    make_project("无节点项目")
    counts = NODE_SOURCES["projects"].counter([design.pk, interior.pk])
    assert counts.get(interior.pk) == 2 and counts.get(design.pk, 0) == 0
    assert NODE_SOURCES["projects"].label == "重大项目"
