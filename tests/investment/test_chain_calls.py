"""The chain pages' 招商 figures and, for a gap, the call list: the target companies on the link
and the open leads, as far as the person may see them, with links; flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.chains import selectors
from yuanqu.investment import services
from yuanqu.investment.models import Stage

from ..chains.conftest import make_enterprise, place


@pytest.fixture
def on_design(chain, make_lead):
    """The 概念设计 link (U1.1, missing): a company that leads it elsewhere, two open leads (the
    招商局's and a village's), a signed one; and a company on 详细设计 (U1.2, beside it)."""
    node = chain.n["U1.1"]
    services.company_create(actor=None, data={"name": "北欧船舶设计集团", "kind": "global", "hq_province": "",
                                              "hq_city": "赫尔辛基", "chain_node": node})
    services.company_create(actor=None, data={"name": "详细设计公司", "kind": "private", "chain_node": chain.n["U1.2"]})
    return {
        "invest": make_lead("邮轮设计中心", unit="invest", chain_node=node, stage=Stage.VISIT, amount_text="2亿元"),
        "village": make_lead("村办设计工作室", unit="village", chain_node=node),
        "signed": make_lead("已签约设计项目", unit="invest", chain_node=node, stage=Stage.SIGNED),
    }


def panel(client, user, node):
    client.force_login(user)
    response = client.get(reverse("chains:node", args=[node.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_gap_figures_count_open_leads_and_companies_per_node(chain, on_design):
    def ours(gap):  # other registers (projects) add their own figures beside ours
        return {k: v for k, v in gap.extra.items() if k.startswith("investment.")}

    gaps = {g.node.code: g for g in selectors.chain_gaps(chain)}
    assert ours(gaps["U1.1"]) == {"investment.open_leads": 2, "investment.companies": 1}
    assert ours(gaps["U1.2"]) == {"investment.open_leads": 0, "investment.companies": 1}
    assert ours(gaps["U1"]) == {"investment.open_leads": 0, "investment.companies": 0}  # per node, not rolled up


def test_a_missing_link_lists_whom_to_call_with_links(client, users, chain, on_design):
    body = panel(client, users["leader"], chain.n["U1.1"])
    assert 'data-testid="call-list"' in body and "补链" in body
    calls = body.split('data-testid="call-list"')[1]
    assert "北欧船舶设计集团" in calls and "世界名企，赫尔辛基" in calls
    assert f'href="{reverse("investment:lead_detail", args=[on_design["invest"].pk])}"' in calls
    assert "邮轮设计中心" in calls and "考察，招商局，2亿元" in calls and "村办设计工作室" in calls
    assert "已签约设计项目" not in calls and "详细设计公司" not in calls
    assert f'{reverse("investment:lead_list")}?node={chain.n["U1.1"].pk}' in calls
    # The parent link's list takes in the links below it.
    parent = panel(client, users["leader"], chain.n["U1"]).split('data-testid="call-list"')[1]
    assert "北欧船舶设计集团" in parent and "详细设计公司" in parent and "邮轮设计中心" in parent


def test_the_call_list_shows_only_the_leads_the_person_may_see(client, users, chain, on_design):
    calls = panel(client, users["invest"], chain.n["U1.1"]).split('data-testid="call-list"')[1]
    assert "邮轮设计中心" in calls and "村办设计工作室" not in calls
    assert "北欧船舶设计集团" in calls  # the company library is shared


def test_a_strong_link_has_no_call_list(client, users, chain, on_design):
    node = chain.n["M1"]
    place(node, make_enterprise("甲船厂"))
    place(node, make_enterprise("乙船厂"))
    assert 'data-testid="call-list"' not in panel(client, users["leader"], node)


def test_the_lists_behind_the_call_list_filter_by_the_node_and_below(client, users, chain, on_design):
    client.force_login(users["leader"])
    page = client.get(reverse("investment:lead_list"), {"node": chain.n["U1"].pk}).content.decode()
    assert "邮轮设计中心" in page and "已签约设计项目" in page and 'data-testid="place-filter"' in page
    assert "产业链节点：豪华邮轮 › 设计研发" in page
    other = client.get(reverse("investment:lead_list"), {"node": chain.n["M1"].pk}).content.decode()
    assert "邮轮设计中心" not in other
    companies = client.get(reverse("investment:company_list"), {"node": chain.n["U1.2"].pk}).content.decode()
    assert "详细设计公司" in companies and "北欧船舶设计集团" not in companies


def test_the_panel_reads_a_fixed_number_of_queries(client, users, chain, make_lead):
    node = chain.n["U1.1"]

    def count() -> int:
        client.force_login(users["leader"])
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("chains:node", args=[node.pk]), HTTP_HX_REQUEST="true")
        return len(queries)

    make_lead("项目0", chain_node=node)
    few = count()
    for i in range(1, 8):
        make_lead(f"项目{i}", chain_node=node, unit="village" if i % 2 else "invest")
        services.company_create(actor=None, data={"name": f"企业{i}", "kind": "private", "chain_node": node})
    assert count() == few
