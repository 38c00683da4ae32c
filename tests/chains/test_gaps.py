"""Gap classification: 缺失 / 薄弱 / 延链 / 较强 per node, rolled up over subtrees, thresholds as data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.chains import selectors, services
from yuanqu.chains.selectors import Status, chain_gaps, classify

from .conftest import add_node, make_enterprise, place


def by_code(chain):
    return {g.node.code: g for g in chain_gaps(chain)}


@pytest.mark.parametrize(("count", "output", "extension", "expected"), [
    (0, "0", False, Status.MISSING),
    (0, "0", True, Status.EXTENSION),
    (1, "50", False, Status.WEAK),      # too few firms
    (3, "2", False, Status.WEAK),       # enough firms, too little output
    (3, "2", True, Status.WEAK),        # an extension node with firms is judged like any other
    (2, "5", False, Status.STRONG),     # exactly at both thresholds
])
def test_classify(count, output, extension, expected):
    assert classify(enterprises=count, output=Decimal(output), min_enterprises=2, min_output=Decimal("5"),
                    is_extension=extension) == expected


def test_a_chain_shows_each_status_and_rolls_firms_up_to_the_parents(chain):
    n = chain.n
    a, b = make_enterprise("甲设计院"), make_enterprise("乙设计所")
    place(n["U1.1"], a, Decimal("3"))
    place(n["U1.2"], a, Decimal("5"))     # the same firm on two nodes of U1's subtree
    place(n["U1.2"], b, Decimal("1"))
    gaps = by_code(chain)
    assert (gaps["U1.1"].status, gaps["U1.2"].status) == (Status.WEAK, Status.STRONG)
    assert (gaps["U1"].enterprises, gaps["U1"].output) == (2, Decimal("6"))  # a counted once, its larger output
    assert gaps["U1"].status == Status.STRONG
    assert (gaps["M1"].status, gaps["M1"].action) == (Status.MISSING, "补链")
    assert (gaps["D1"].status, gaps["D1"].action) == (Status.EXTENSION, "延链")
    assert gaps["U1.1"].action == "强链"
    assert [g.node.code for g in chain_gaps(chain)] == ["U", "U1", "U1.1", "U1.2", "M", "M1", "D", "D1"]


def test_thresholds_are_data_on_the_chain_and_the_node(chain):
    n = chain.n
    place(n["M1"], make_enterprise("丙船厂"), Decimal("8"))
    assert by_code(chain)["M1"].status == Status.WEAK  # one firm, the chain asks for two
    services.node_update(actor=None, node=n["M1"], data={"min_enterprises": 1})
    assert by_code(chain)["M1"].status == Status.STRONG
    services.chain_update(actor=None, chain=chain, data={"weak_min_output": Decimal("10")})
    chain.refresh_from_db()
    assert by_code(chain)["M1"].status == Status.WEAK  # now short of output
    assert by_code(chain)["M1"].min_output == Decimal("10")


def test_other_registers_feed_figures_per_node(chain, monkeypatch):
    monkeypatch.setattr(selectors, "NODE_SOURCES", {})
    selectors.register_node_source("leads", "在谈线索", lambda ids: {chain.n["M1"].pk: 4})
    gaps = by_code(chain)
    assert gaps["M1"].extra == {"leads": 4} and gaps["U1"].extra == {"leads": 0}


def _grow(chain, count: int):
    top = chain.n["M"]
    for i in range(count):
        node = add_node(chain, f"G{i}", f"节点{i}", top)
        place(node, make_enterprise(f"企业{chain.pk}-{i}"), Decimal("1"))


def test_the_analysis_costs_the_same_queries_for_three_times_the_nodes(chain):
    other = services.chain_create(actor=None, data={"name": "智能制造"})
    other.n = {"M": add_node(other, "M", "中游", segment="mid")}
    chain_small, chain_big = chain, other
    _grow(chain_small, 5)
    _grow(chain_big, 15)
    counts = []
    for c in (chain_small, chain_big):
        with CaptureQueriesContext(connection) as ctx:
            chain_gaps(c)
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 2 + len(selectors.NODE_SOURCES)  # one more per register feeding figures
