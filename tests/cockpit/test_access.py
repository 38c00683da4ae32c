"""Who may open the cockpit, and which plan it shows."""


import pytest
from django.urls import reverse

from yuanqu.core import clock
from yuanqu.plans.models import Plan

URL = reverse("cockpit:index")
DATA = reverse("cockpit:data")


@pytest.mark.parametrize("role", ["leader", "supervisor", "admin", "leader_invest"])
def test_readers_of_everything_see_the_cockpit(client, users, plan, on, role):
    client.force_login(users[role])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["plan"] == plan
    assert 'data-testid="chart-sections"' in response.content.decode()


@pytest.mark.parametrize("role", ["invest", "agri", "village", "nounit", "invest_village"])
def test_reporters_are_sent_to_their_unit_page(client, users, plan, on, role):
    client.force_login(users[role])
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("plans:my_unit")


@pytest.mark.parametrize("role", ["invest", "nounit", "invest_village"])
def test_reporters_get_no_cockpit_data(client, users, plan, on, role):
    client.force_login(users[role])
    response = client.get(DATA)
    assert response.status_code == 403
    assert "领导驾驶舱" in response.json()["message"]


@pytest.mark.parametrize("url", [URL, DATA])
def test_anonymous_is_sent_to_login(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_data_endpoint_matches_the_page(client, users, plan, on):
    client.force_login(users["leader"])
    page = client.get(URL).context["data"]
    response = client.get(DATA, {"plan": plan.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == page


def test_default_plan_is_this_years_active_plan_and_others_can_be_picked(client, users, plan, on):
    year = clock.today().year
    older = Plan.objects.create(year=year - 1, title="去年计划", source_text="一、旧。", status=Plan.Status.CLOSED)
    Plan.objects.create(year=year + 1, title="明年草稿", source_text="一、新。")
    client.force_login(users["leader"])
    response = client.get(URL)
    assert response.context["plan"] == plan
    html = response.content.decode()
    assert 'data-testid="plan-select"' in html
    assert "去年计划" in html and "明年草稿" in html
    picked = client.get(URL, {"plan": older.pk})
    assert picked.context["plan"] == older
    assert picked.context["data"]["plan"]["id"] == older.pk


def test_single_plan_shows_no_selector(client, users, plan, on):
    client.force_login(users["leader"])
    assert 'data-testid="plan-select"' not in client.get(URL).content.decode()


@pytest.mark.parametrize("url", [URL, DATA])
@pytest.mark.parametrize("value", ["unknown", "abc", "-1", "0", "99999999999999999999999"])
def test_a_plan_id_that_names_no_plan_is_404(client, users, plan, on, url, value):
    client.force_login(users["leader"])
    assert client.get(url, {"plan": plan.pk + 999 if value == "unknown" else value}).status_code == 404


@pytest.mark.parametrize("url", [URL, DATA])
def test_a_blank_plan_id_shows_the_current_plan(client, users, plan, on, url):
    client.force_login(users["leader"])
    assert client.get(url, {"plan": ""}).status_code == 200


def test_no_plan_at_all_shows_an_empty_state(client, users):
    client.force_login(users["supervisor"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "尚无可查看的年度计划" in response.content.decode()
    assert client.get(DATA).status_code == 404
