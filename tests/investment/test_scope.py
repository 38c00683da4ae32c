"""Who sees and does what, page and API alike, as a matrix of roles; query counts stay flat."""

import pytest
from django.urls import reverse

from tests.core.spreadsheets import sheets
from yuanqu.investment import services
from yuanqu.investment.models import Lead, Stage, TargetCompany

from ..access import queries

# role → the leads (by unit) it reads: 招商 leaders, the 督查室 and administrators read all.
READS = {
    "admin": {"invest", "village"},
    "leader": {"invest", "village"},
    "supervisor": {"invest", "village"},
    "invest": {"invest"},
    "agri": {"village"},          # 三南村 lies under 农业农村局
    "village": {"village"},
    "invest_village": {"invest", "village"},
    "leader_invest": {"invest", "village"},
}
# role → the units whose leads it may move and follow up.
WRITES = {"admin": {"invest", "village"}, "invest": {"invest"}, "agri": {"village"}, "village": {"village"},
          "invest_village": {"invest", "village"}, "leader_invest": {"invest"}}


@pytest.fixture
def two_leads(make_lead):
    return {"invest": make_lead("港口物流项目", unit="invest"), "village": make_lead("乡村民宿项目", unit="village")}


@pytest.mark.parametrize("role", sorted(READS))
def test_list_detail_export_and_api_show_exactly_the_scope(client, client_as, users, two_leads, role):
    client.force_login(users[role])
    seen = {unit for unit, lead in two_leads.items()
            if client.get(reverse("investment:lead_detail", args=[lead.pk])).status_code == 200}
    assert seen == READS[role]
    page = client.get(reverse("investment:lead_list")).content.decode()
    assert {u for u, lead in two_leads.items() if lead.name in page} == READS[role]
    api = client_as(role).get("/api/investment/leads/").json()
    assert {row["name"] for row in api["results"]} == {two_leads[u].name for u in READS[role]}
    for unit, lead in two_leads.items():
        status = client_as(role).get(f"/api/investment/leads/{lead.pk}/").status_code
        assert status == (200 if unit in READS[role] else 404)


@pytest.mark.parametrize("role", sorted(READS))
def test_only_the_owning_unit_moves_a_lead_through_the_api(client_as, two_leads, role):
    for unit, lead in two_leads.items():
        response = client_as(role).post(f"/api/investment/leads/{lead.pk}/steps/contact/", {"version": lead.version},
                                        format="json")
        expected = 200 if unit in WRITES.get(role, set()) else (403 if unit in READS[role] else 404)
        assert response.status_code == expected, response.content
        assert Lead.objects.get(pk=lead.pk).stage == (Stage.CONTACT if expected == 200 else Stage.INFO)


def test_nobody_outside_sees_the_pages(client, users, two_leads):
    client.force_login(users["nounit"])
    assert client.get(reverse("investment:lead_list")).status_code == 403
    assert client.get(reverse("investment:lead_detail", args=[two_leads["invest"].pk])).status_code == 404


def test_a_refused_step_in_the_api_says_why_in_chinese(client_as, two_leads):
    lead = two_leads["invest"]
    response = client_as("invest").post(f"/api/investment/leads/{lead.pk}/steps/terminate/", {"version": 1},
                                        format="json")
    assert response.status_code == 400 and "终止原因" in response.json()["message"]
    stale = client_as("invest").patch(f"/api/investment/leads/{lead.pk}/", {"industry": "物流", "version": 9},
                                      format="json")
    assert stale.status_code == 409


def test_the_api_registers_a_lead_and_refuses_an_undecided_amount(client_as, units):
    bad = client_as("invest").post("/api/investment/leads/", {"name": "新项目", "investor": "某公司",
                                                               "amount_text": "面议"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "amount_text"
    ok = client_as("invest").post("/api/investment/leads/", {"name": "新项目", "investor": "某公司",
                                                              "amount_text": "3000万美元"}, format="json")
    assert ok.status_code == 201
    assert (ok.json()["currency"], ok.json()["unit"]["name"]) == ("USD", "招商局")
    assert client_as("leader").post("/api/investment/leads/", {"name": "另一个", "investor": "某"},
                                    format="json").status_code == 403


def test_the_pages_move_a_lead_and_log_a_follow_up(client, users, two_leads):
    lead = two_leads["invest"]
    client.force_login(users["invest"])
    detail = client.get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
    assert 'data-testid="act-contact"' in detail and 'data-testid="act-sign"' not in detail
    client.post(reverse("investment:lead_act", args=[lead.pk, "contact"]), {"version": lead.version})
    assert Lead.objects.get(pk=lead.pk).stage == Stage.CONTACT
    response = client.post(reverse("investment:follow_up_add", args=[lead.pk]), {
        "kind": "visit_out", "date": "2026-09-14", "content": "拜访企业", "next_step": "再次面谈"})
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).next_action == "再次面谈"
    client.force_login(users["leader"])
    page = client.get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
    assert "拜访企业" in page and 'data-testid="act-' not in page  # leaders read, they do not act


def test_the_export_holds_the_filtered_leads(client, users, two_leads):
    client.force_login(users["leader"])
    response = client.get(reverse("investment:lead_export") + f"?unit={two_leads['village'].unit_id}")
    (rows,) = sheets(response.content).values()
    assert rows[1][:2] == ["项目名称", "投资方"]
    assert [row[0] for row in rows[2:]] == ["乡村民宿项目"]
    assert "责任单位：三南村" in rows[0][0]


def test_list_board_and_api_cost_the_same_for_n_and_3n_leads(client, users, make_lead, units):
    company = TargetCompany.objects.create(name="远洋重工", kind=TargetCompany.Kind.CENTRAL)
    client.force_login(users["leader"])
    urls = [reverse("investment:lead_list"), reverse("investment:lead_board"), "/api/investment/leads/",
            reverse("investment:company_list")]

    def fill(n, start):
        for i in range(start, start + n):
            make_lead(f"项目{i}", unit="invest" if i % 2 else "village", stage=Stage.CONTACT if i % 3 else Stage.INFO,
                      company=company, amount_text="1亿元")

    fill(4, 0)
    counts = [queries(client, url) for url in urls]
    fill(8, 4)
    assert [queries(client, url) for url in urls] == counts


def test_the_detail_page_costs_the_same_for_more_follow_ups_and_steps(client, users, make_lead):
    lead = make_lead(stage=Stage.VISIT)
    client.force_login(users["invest"])
    url = reverse("investment:lead_detail", args=[lead.pk])

    def log(n):
        for i in range(n):
            services.follow_up_create(actor=users["invest"], lead=lead, data={
                "kind": "call", "date": "2026-09-01", "content": f"电话{i}", "next_step": f"下一步{i}"})

    log(2)
    before = queries(client, url)
    log(6)
    assert queries(client, url) == before
