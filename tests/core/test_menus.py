"""The top bar is built from each app's menus.py: the same links per role as the hand-written nav
it replaced, the review badge, the active entry, and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from tests.factories import make_user
from yuanqu.core.menus import END, MAIN, Menu, MenuEntry, entries
from yuanqu.org.roles import LEADER, REPORTER

PLANS = [("计划总览", "/plans/current/"), ("目标清单", "/targets/")]
REVIEW = [("审核队列", "/review/")]
MY_UNIT = [("本单位", "/my/")]
SUPERVISION = [("督查督办", "/supervision/")]
INBOX = [("督办待办", "/supervision/inbox/")]
ASSESSMENT = [("目标考核", "/assessment/")]
CHAINS = [("产业链图谱", "/chains/")]
LAND = [("土地", "/land/")]  # read all, or a unit's parcels (a reporter holds land.edit for the unit)
INVESTMENT = [("招商线索", "/investment/"), ("重大项目", "/projects/")]  # the same readers and unit editors
ENTERPRISES = [("企业", "/enterprises/")]  # read all, or a unit's members (their 挂钩 enterprises)
APPROVALS = [("审批时效", "/approvals/")]  # read all, or (a reporter) the cases its unit handles
VISITS = [("走帮服", "/visits/requests/")]  # read all, or (a reporter) the requests its unit handles
INDICATORS = [("乡村指标", "/indicators/")]  # read all, or a reporter (its unit's indicators or village's counts)
CLEANUP = [("企业清理", "/cleanup/")]  # read all, or (a reporter) the clean-up cases assigned to its unit
PARTY = [("党建", "/party/")]  # read all, or (a reporter) its unit's Party organisations' self-assessments
DISPUTES = [("调解信访", "/disputes/")]  # read all, or (a reporter) the cases assigned to its unit
GOVERNANCE = [("检查整改", "/inspections/"), ("网格事件", "/grid/")]  # read all, or a unit's hazards and events
BULLETINS = [("督查通报", "/reports/bulletins/")]
COCKPIT = [("领导驾驶舱", "/cockpit/")]
REGISTERS = (CHAINS + INVESTMENT + LAND + ENTERPRISES + APPROVALS + VISITS + INDICATORS + CLEANUP + PARTY
             + DISPUTES)

ADMIN_END = [("数据导入", "/imports/"), ("管理后台", "/admin/")]
EXPECTED = {
    "admin": PLANS + REVIEW + SUPERVISION + INBOX + ASSESSMENT + REGISTERS + BULLETINS + GOVERNANCE + COCKPIT,
    "supervisor": PLANS + REVIEW + SUPERVISION + INBOX + ASSESSMENT + REGISTERS + BULLETINS + GOVERNANCE + COCKPIT,
    "leader": PLANS + SUPERVISION + ASSESSMENT + REGISTERS + BULLETINS + GOVERNANCE + COCKPIT,
    "invest": PLANS + MY_UNIT + SUPERVISION + INBOX + ASSESSMENT + REGISTERS + GOVERNANCE,
    "nounit": PLANS + SUPERVISION + ASSESSMENT,
}
NAV_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)(?: active)?" href="([^"]+)"><i class="bi bi-[\w-]+"></i> ([^<\n]+)')


def _nav_html(html: str) -> str:
    return html[html.index('id="yq-nav"'):html.index("</nav>")]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_the_links_it_saw_before(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("core:notifications"))
    menu = response.context["nav_menu"]
    assert [(item.label, item.url) for item in menu.main] == EXPECTED[role]
    assert [(item.label, item.url) for item in menu.end] == (ADMIN_END if role == "admin" else [])
    links = [(label.strip(), url) for url, label in NAV_LINK.findall(_nav_html(response.content.decode()))]
    # The bar shows the same links, a section's entries together in its drop-down; the user's own
    # drop-down (password, logout) follows.
    shown = [(item.label, item.url) for block in menu.main_blocks for item in block.items]
    assert sorted(shown) == sorted(EXPECTED[role])
    expected = shown + (ADMIN_END if role == "admin" else [])
    assert links[:len(expected)] == expected
    assert all(url not in dict(EXPECTED[role]).values() for _, url in links[len(expected):])


def test_a_leader_who_also_reports_for_a_unit_sees_both_roles_entries(client, units):
    user = make_user("leader_invest", LEADER, units["committee"], also=[(REPORTER, units["invest"])])
    client.force_login(user)
    menu = client.get(reverse("core:notifications")).context["nav_menu"]
    assert [(item.label, item.url) for item in menu.main] == (
        PLANS + MY_UNIT + SUPERVISION + INBOX + ASSESSMENT + REGISTERS + BULLETINS + GOVERNANCE + COCKPIT)


def test_an_empty_queue_keeps_the_badge_hidden_for_htmx_to_fill(client, users):
    client.force_login(users["admin"])
    html = _nav_html(client.get(reverse("core:notifications")).content.decode())
    assert 'class="badge rounded-pill text-bg-warning d-none" id="pending-count">0</span>' in html


@pytest.mark.parametrize(("path", "active"), [
    ("/supervision/inbox/", ["督查督办", "督办待办"]),  # the whole app, and the inbox itself
    ("/supervision/", ["督查督办"]),
    ("/review/", ["审核队列"]),
    ("/assessment/", ["目标考核"]),
    ("/notifications/", []),
])
def test_the_entry_of_the_current_page_is_active(users, path, active):
    request = RequestFactory().get(path)
    request.user = users["admin"]
    request.resolver_match = resolve(path)
    assert [item.label for item in Menu(request).main if item.active] == active


@pytest.mark.parametrize(("role", "queries"), [("supervisor", 1), ("admin", 1), ("leader", 0), ("invest", 0)])
def test_the_menu_costs_at_most_the_badge_query(users, role, queries, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = users[role]
    request.user.assignments()  # the user's roles load once per request, whatever the page
    request.resolver_match = resolve("/targets/")
    with django_assert_num_queries(queries):
        assert Menu(request).main


def test_htmx_fragments_do_not_count_the_badge(client, users):
    """The count is taken only when a whole page renders the top bar."""
    client.force_login(users["supervisor"])

    def review_queries(**headers) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("supervision:list"), **headers).status_code == 200
        return sum("plans_progressreport" in q["sql"] for q in ctx.captured_queries)

    assert review_queries() == 1
    assert review_queries(HTTP_HX_REQUEST="true") == 0


def test_an_entry_may_name_an_ability_or_a_predicate(users):
    class Holder:
        def can(self, name):
            return name == "plans.review_reports"

    by_name = MenuEntry("审核", "plans:review_queue", visible="plans.review_reports")
    assert by_name.allows(Holder())
    assert not MenuEntry("x", "plans:review_queue", visible="plans.other").allows(Holder())
    assert not by_name.allows(object())  # a user without abilities sees no ability-gated entry
    assert MenuEntry("x", "plans:review_queue", visible=lambda user: user.can("org.manage_users")).allows(users["admin"])
    assert MenuEntry("x", "plans:review_queue").allows(users["nounit"])


def test_every_declared_entry_resolves_and_belongs_to_a_group():
    for entry in entries():
        assert entry.group in {MAIN, END}
        reverse(entry.url_name)


SECTION = re.compile(r'data-bs-toggle="dropdown" aria-expanded="false">([^<]+?)(?: <span|</a>)')


def test_registers_gather_under_their_sections_where_the_first_entry_stands(client, users):
    client.force_login(users["supervisor"])
    response = client.get(reverse("core:notifications"))
    blocks = response.context["nav_menu"].main_blocks
    layout = [block.section or block.items[0].label for block in blocks]
    # Sections keep the registers' order and sit between the plan's own links and the readers' ones.
    assert layout[:7] == ["计划总览", "目标清单", "审核队列", "督查督办", "督办待办", "目标考核", "招商与项目"]
    assert layout[-2:] == ["督查通报", "领导驾驶舱"]
    sections = {block.section: [item.label for item in block.items] for block in blocks if block.section}
    assert sections["招商与项目"] == ["产业链图谱", "招商线索", "重大项目", "土地"]
    assert sections["企业服务"] == ["企业", "走帮服", "企业清理"]
    assert sections["治理"] == ["审批时效", "调解信访", "检查整改", "网格事件"]  # grid and inspections join 审批时效
    assert sections["党建与乡村"] == ["乡村指标", "党建"]
    assert len(layout) == len(set(layout))  # one drop-down per section, whatever the entries' order
    html = _nav_html(response.content.decode())
    assert SECTION.findall(html) == [block.section for block in blocks if block.section]


def test_a_section_is_active_when_one_of_its_entries_is(users):
    request = RequestFactory().get("/projects/")
    request.user = users["admin"]
    request.resolver_match = resolve("/projects/")
    active = [block.section for block in Menu(request).main_blocks if block.section and block.active]
    assert active == ["招商与项目"]


def test_a_section_only_the_user_may_not_use_does_not_show(users):
    request = RequestFactory().get("/")
    request.user = users["nounit"]
    request.resolver_match = resolve("/targets/")
    assert [block.section for block in Menu(request).main_blocks if block.section] == []
