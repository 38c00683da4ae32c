"""Who may open which page: every role against every page, and what a reporter sees in the list."""

import pytest
from django.urls import reverse

from tests.factories import target

# Among the rows, people holding several roles (tests/conftest.py): a reporter for 招商局 and
# 三南村, and a leader who also reports for 招商局.
ROLES = ["anon", "admin", "supervisor", "leader", "invest", "agri", "village", "nounit", "invest_village",
         "leader_invest"]
MANAGERS = {"admin": 200, "supervisor": 200}
BOTH = {"invest_village": 200, "leader_invest": 200}


def _all(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES if role != "anon"}


# page -> expected status per role (anonymous users are always sent to the login page).
MATRIX = {
    "home": _all(302),
    "plan_list": _all(200),
    "overview": _all(200),
    "draft_overview": _all(404, admin=200, supervisor=200, leader=200, leader_invest=200),
    "target_list": _all(200),
    "target_invest_only": _all(404, admin=200, supervisor=200, leader=200, invest=200, **BOTH),
    "target_assisted": _all(404, admin=200, supervisor=200, leader=200, invest=200, agri=200, **BOTH),
    "target_village": _all(404, admin=200, supervisor=200, leader=200, agri=200, village=200, **BOTH),
    "report_invest_only": _all(404, admin=200, supervisor=200, leader=403, invest=200, **BOTH),
    "report_assisted": _all(404, admin=200, supervisor=200, leader=403, invest=200, agri=403, **BOTH),
    "report_village": _all(404, admin=200, supervisor=200, leader=403, agri=200, village=200,
                           invest_village=200, leader_invest=403),
    "review_queue": _all(403, **MANAGERS),
    "my_unit": _all(302, invest=200, agri=200, village=200, **BOTH),
    "draft_review": _all(404, admin=200, supervisor=200, leader=403, leader_invest=403),
    "active_review": _all(403, **MANAGERS),
}


def _url(page, plan, draft):
    t = {
        "invest_only": target(plan, "招引项目"),
        "assisted": target(plan, "农民收入"),
        "village": target(plan, "三南村"),
    }
    return {
        "home": reverse("plans:home"),
        "plan_list": reverse("plans:plan_list"),
        "overview": reverse("plans:plan_detail", args=[plan.pk]),
        "draft_overview": reverse("plans:plan_detail", args=[draft.pk]),
        "target_list": reverse("plans:target_list"),
        "target_invest_only": reverse("plans:target_detail", args=[t["invest_only"].pk]),
        "target_assisted": reverse("plans:target_detail", args=[t["assisted"].pk]),
        "target_village": reverse("plans:target_detail", args=[t["village"].pk]),
        "report_invest_only": reverse("plans:report_create", args=[t["invest_only"].pk]),
        "report_assisted": reverse("plans:report_create", args=[t["assisted"].pk]),
        "report_village": reverse("plans:report_create", args=[t["village"].pk]),
        "review_queue": reverse("plans:review_queue"),
        "my_unit": reverse("plans:my_unit"),
        "draft_review": reverse("plans:plan_review", args=[draft.pk]),
        "active_review": reverse("plans:plan_review", args=[plan.pk]),
    }[page]


CASES = [(page, role) for page in MATRIX for role in ROLES]


@pytest.mark.parametrize(("page", "role"), CASES)
def test_role_matrix(client, users, plan, draft, page, role):
    if role != "anon":
        client.force_login(users[role])
    url = _url(page, plan, draft)
    response = client.get(url)
    expected = 302 if role == "anon" else MATRIX[page][role]
    assert response.status_code == expected, (page, role, url)
    if role == "anon":
        assert response["Location"].startswith(reverse("login"))
    if expected == 403:
        assert "无权" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "where"),
    [("invest", "/my/"), ("agri", "/my/"), ("village", "/my/"), ("invest_village", "/my/"),
     # A leader lands on the cockpit (also one who reports for a unit: the unit is a menu click
     # away); the 督查室 and administrators run the plan and start on it.
     ("leader_invest", "/cockpit/"), ("supervisor", "/plans/{plan}/"),
     ("leader", "/cockpit/"), ("admin", "/plans/{plan}/"), ("nounit", "/plans/{plan}/")],
)
def test_home_sends_reporters_to_their_unit_leaders_to_the_cockpit_and_others_to_the_plan(client, users, plan, role, where):
    client.force_login(users[role])
    response = client.get(reverse("plans:home"))
    assert response["Location"] == where.format(plan=plan.pk)


def test_home_without_an_active_plan_goes_to_the_plan_list(client, users, draft):
    client.force_login(users["supervisor"])
    assert client.get(reverse("plans:home"))["Location"] == reverse("plans:plan_list")


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("village", {"三南村创建成省级水美乡村"}),
        ("agri", {"培育新型农民不少于150人", "三南村创建成省级水美乡村", "农民收入提升10%以上"}),
        ("invest", {"招引项目100个", "农民收入提升10%以上"}),
        ("invest_village", {"招引项目100个", "农民收入提升10%以上", "三南村创建成省级水美乡村"}),
        ("leader_invest", {"招引项目100个", "培育新型农民不少于150人", "三南村创建成省级水美乡村", "农民收入提升10%以上"}),
        ("nounit", set()),
        ("leader", {"招引项目100个", "培育新型农民不少于150人", "三南村创建成省级水美乡村", "农民收入提升10%以上"}),
    ],
)
def test_target_list_shows_only_the_targets_in_scope(client, users, plan, role, titles):
    client.force_login(users[role])
    response = client.get(reverse("plans:target_list"))
    shown = {t.title for t in response.context["table"].data}
    assert shown == titles
    html = response.content.decode()
    for t in plan.targets.all():
        assert (t.title in html) == (t.title in titles)


def test_reporters_do_not_see_draft_plans_anywhere(client, users, plan, draft):
    client.force_login(users["invest"])
    assert draft.title not in client.get(reverse("plans:plan_list")).content.decode()
    assert client.get(reverse("plans:target_list"), {"plan": draft.pk}).status_code == 404


def test_nav_shows_the_review_queue_with_its_count_only_to_managers(client, users, plan):
    from yuanqu.plans import services

    services.report_submit(actor=users["invest"], target=target(plan, "招引项目"), period=plan.year_start,
                           value="3", narrative="进展")
    client.force_login(users["supervisor"])
    html = client.get(reverse("plans:target_list")).content.decode()
    assert 'id="pending-count">1<' in html
    client.force_login(users["invest"])
    html = client.get(reverse("plans:target_list")).content.decode()
    assert "审核队列" not in html and "本单位" in html


def test_logout_is_a_post_form_and_works(client, users, plan):
    client.force_login(users["leader"])
    html = client.get(reverse("plans:plan_list")).content.decode()
    assert f'method="post" action="{reverse("logout")}"' in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_login_page_renders_and_logs_in_to_home(client, users, plan):
    from tests.factories import PASSWORD

    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "super1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:home")
