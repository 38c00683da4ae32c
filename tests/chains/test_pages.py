"""Who sees and edits chain maps (pages and API), and flat query counts on the chain page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.chains.models import ChainNode, NodeEnterprise

from .conftest import add_node, make_enterprise, place

# role → (reads the 招商局's chain, edits it)
MATRIX = {
    "admin": (True, True), "supervisor": (True, True), "leader": (True, False),
    "invest": (True, True),            # the lead unit's reporter
    "agri": (False, False), "nounit": (False, False),
    "leader_invest": (True, True),     # a leader who also reports for 招商局
    "invest_village": (True, True),
}


@pytest.mark.parametrize("role", MATRIX)
def test_pages_follow_the_matrix(client, users, chain, role):
    reads, edits = MATRIX[role]
    client.force_login(users[role])
    node = chain.n["M1"]
    listing = client.get(reverse("chains:list"))
    assert listing.status_code == 200
    assert ("豪华邮轮" in listing.content.decode()) == reads
    for name, args in [("chains:detail", [chain.pk]), ("chains:node", [node.pk]), ("chains:export", [chain.pk])]:
        assert client.get(reverse(name, args=args)).status_code == (200 if reads else 404), name
    edit = client.get(reverse("chains:node_edit", args=[node.pk]))
    assert edit.status_code == (200 if edits else 403 if reads else 404)
    enterprise = make_enterprise("甲船厂")
    client.post(reverse("chains:placement_add", args=[node.pk]), {"enterprise": enterprise.pk, "role": "head",
                                                                   "output": "12.5"})
    assert NodeEnterprise.objects.filter(node=node, enterprise=enterprise).exists() == edits


def test_the_chain_page_draws_the_tree_coloured_by_status_and_the_panel_lists_firms(client, users, chain):
    place(chain.n["U1.1"], make_enterprise("甲设计院"), Decimal("3"))
    client.force_login(users["leader"])
    page = client.get(reverse("chains:detail", args=[chain.pk]))
    tree = page.context["tree"]
    upstream = tree["children"][0]
    assert (tree["name"], upstream["name"]) == ("豪华邮轮", "上游")
    design = upstream["children"][0]["children"][0]
    assert (design["name"], design["status"], design["enterprises"]) == ("概念设计", "薄弱", 1)
    assert 'src="/static/vendor/echarts/echarts.min.js"' in page.content.decode()
    missing = client.get(reverse("chains:detail", args=[chain.pk]), {"status": "missing"})
    assert {r.record.node.code for r in missing.context["table"].rows} == {"U1.2", "M", "M1", "D"}
    panel = client.get(reverse("chains:node", args=[chain.n["U1"].pk]), HTTP_HX_REQUEST="true")
    body = panel.content.decode()
    assert "甲设计院" in body and "<html" not in body


def test_node_form_saves_through_the_service_and_names_a_taken_code(client, users, chain):
    client.force_login(users["invest"])
    url = reverse("chains:node_create", args=[chain.pk])
    taken = client.post(url, {"code": "M1", "name": "重复", "parent": chain.n["M"].pk, "order": 0})
    assert "编码“M1”在本产业链中已用于“薄板分段制造”" in taken.content.decode()
    ok = client.post(url, {"code": "M2", "name": "分段总组", "parent": chain.n["M"].pk, "order": 0})
    assert ok.status_code == 302
    assert ChainNode.objects.get(chain=chain, code="M2").segment == "mid"



def test_the_chain_page_and_api_cost_the_same_queries_at_three_times_the_nodes(client, users, chain):
    client.force_login(users["invest"])
    counts = []
    for grow in (5, 10):  # 13 nodes, then 23 more = 3x the first size
        _grow_from = ChainNode.objects.filter(chain=chain).count()
        for i in range(grow):
            node = add_node(chain, f"G{_grow_from}-{i}", f"节点{_grow_from}-{i}", chain.n["M"])
            place(node, make_enterprise(f"企业{_grow_from}-{i}"), Decimal("1"))
        measured = []
        for url in (reverse("chains:detail", args=[chain.pk]), reverse("chains:list"),
                    f"/api/chains/chains/{chain.pk}/", "/api/chains/chains/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            measured.append(len(ctx))
        counts.append(measured)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", MATRIX)
def test_api_follows_the_matrix(client_as, users, chain, role):
    reads, edits = MATRIX[role]
    api = client_as(role)
    listed = api.get("/api/chains/chains/").json()
    assert bool(listed) == reads
    detail = api.get(f"/api/chains/chains/{chain.pk}/")
    assert detail.status_code == (200 if reads else 404)
    if reads:
        nodes = {n["code"]: n for n in detail.json()["nodes"]}
        assert (nodes["M1"]["status"], nodes["D1"]["status"]) == ("missing", "extension")
    made = api.post("/api/chains/nodes/", {"chain": chain.pk, "code": "M9", "name": "新节点",
                                           "parent": chain.n["M"].pk}, format="json")
    assert made.status_code == (201 if edits else 403 if reads else 400)
    node = chain.n["M1"]
    patched = api.patch(f"/api/chains/nodes/{node.pk}/", {"name": "改名", "version": node.version}, format="json")
    assert patched.status_code == (200 if edits else 403 if reads else 404)


def test_api_refuses_a_stale_version_and_names_the_field(client_as, chain):
    api = client_as("supervisor")
    node = chain.n["M1"]
    assert api.patch(f"/api/chains/nodes/{node.pk}/", {"name": "一", "version": 1}, format="json").status_code == 200
    assert api.patch(f"/api/chains/nodes/{node.pk}/", {"name": "二", "version": 1}, format="json").status_code == 409
    bad = api.patch(f"/api/chains/nodes/{node.pk}/", {"min_output": "-1", "version": 2}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "min_output"
