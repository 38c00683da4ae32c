"""Chain nodes keep a materialised path like org units: set on create, rewritten on a move."""

import pytest

from yuanqu.chains import services
from yuanqu.chains.models import ChainNode
from yuanqu.core.errors import ApplicationError
from yuanqu.core.trees import path_segment

from .conftest import add_node


def fresh(node):
    return ChainNode.objects.get(pk=node.pk)


def test_a_node_path_is_its_ancestors_ids_and_a_subtree_is_one_prefix(chain):
    n = chain.n
    assert fresh(n["U1.2"]).path == "".join(path_segment(n[k].pk) for k in ["U", "U1", "U1.2"])
    subtree = set(ChainNode.objects.filter(path__startswith=fresh(n["U1"]).path).values_list("code", flat=True))
    assert subtree == {"U1", "U1.1", "U1.2"}


def test_moving_a_node_rewrites_its_descendants_paths_and_their_segment(chain):
    n = chain.n
    services.node_update(actor=None, node=n["U1"], data={"parent": n["M1"]})
    expected = "".join(path_segment(n[k].pk) for k in ["M", "M1", "U1", "U1.1"])
    assert fresh(n["U1.1"]).path == expected
    # The subtree now sits in 中游 with its new top node.
    assert set(ChainNode.objects.filter(path__startswith=fresh(n["U1"]).path).values_list("segment", flat=True)) == {"mid"}


def test_a_node_cannot_move_under_itself_or_into_another_chain(chain):
    n = chain.n
    with pytest.raises(ApplicationError, match="不能是该节点本身或其下级节点"):
        services.node_update(actor=None, node=n["U1"], data={"parent": n["U1.1"]})
    other = services.chain_create(actor=None, data={"name": "智能制造"})
    foreign = add_node(other, "U", "上游", segment="up")
    with pytest.raises(ApplicationError, match="属于另一条产业链"):
        services.node_update(actor=None, node=n["U1"], data={"parent": foreign})
    assert fresh(n["U1.1"]).path.startswith(fresh(n["U"]).path)


def test_codes_are_unique_within_a_chain_and_top_nodes_need_a_segment(chain):
    with pytest.raises(ApplicationError, match="编码“U1”在本产业链中已用于“设计研发”"):
        add_node(chain, "U1", "重复", chain.n["U"])
    with pytest.raises(ApplicationError) as missing:
        add_node(chain, "X", "无环节")
    assert missing.value.field == "segment"
    other = services.chain_create(actor=None, data={"name": "智能制造"})
    assert add_node(other, "U1", "精密减速器", segment="up").code == "U1"  # another chain may reuse it


def test_deleting_a_node_with_children_or_enterprises_is_refused_with_counts(chain):
    with pytest.raises(ApplicationError, match="下还有2个下级节点"):
        services.node_delete(actor=None, node=chain.n["U1"])
    services.node_delete(actor=None, node=chain.n["U1.2"])
    assert not ChainNode.objects.filter(code="U1.2").exists()
