"""The 督办单 list export and the 督办 inbox export: headers, the same rows as the pages, scope,
and a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from yuanqu.supervision import selectors, services
from yuanqu.supervision.filters import filter_items
from yuanqu.supervision.models import State, SupervisionItem

from ...factories import target
from ...supervision.conftest import TODAY
from .conftest import column, count_queries, download, first_sheet

EXPORT = reverse("reports:export_supervision")
INBOX_EXPORT = reverse("reports:export_supervision_inbox")
LIST = reverse("supervision:list")
HEADERS = ["编号", "标题", "来源", "牵头单位", "协办单位", "要求", "办理期限", "状态", "催办次数", "是否逾期", "逾期天数"]
PAST = TODAY - dt.timedelta(days=30)


def page_numbers(client, params=None) -> list[str]:
    """The 编号 the list page shows for these filters, over all its pages, in order."""
    numbers, page = [], 1
    while True:
        response = client.get(LIST, {**(params or {}), "page": page})
        assert response.status_code == 200
        shown = response.context["page"]
        numbers += [item.number for item in shown]
        if not shown.has_next():
            return numbers
        page += 1


@pytest.fixture
def items(make_item, users, plan):
    """One item in each interesting situation; the village leads all but one, 招商局 assists one."""
    made = {
        "registered": make_item(State.REGISTERED, title="立项未交办", source_kind=SupervisionItem.SourceKind.TARGET,
                                target=target(plan, "三南村")),
        "assigned": make_item(State.ASSIGNED, title="新交办事项", assisting=["invest", "agri"],
                              requirement="月底前报送方案"),
        "overdue": make_item(State.IN_PROGRESS, title="逾期事项", deadline=TODAY - dt.timedelta(days=4), today=PAST,
                             source_kind=SupervisionItem.SourceKind.MEETING_DECISION),
        "feedback": make_item(State.FEEDBACK, title="已反馈事项"),
        "closed": make_item(State.CLOSED, title="按期办结事项"),
        "agri": make_item(State.IN_PROGRESS, lead="agri", title="农业局牵头事项"),
    }
    late = make_item(State.FEEDBACK, title="逾期办结事项", deadline=TODAY - dt.timedelta(days=3), today=PAST)
    services.transition(actor=users["supervisor"], item=late, action="close", today=TODAY)
    made["late"] = late
    for _ in range(2):
        services.item_urge(actor=users["supervisor"], item=made["overdue"], comment="请加快")
    for item in made.values():
        item.refresh_from_db()
    return made


def test_export_has_the_headers_and_each_items_cells(client, users, units, items):
    client.force_login(users["supervisor"])
    rows = first_sheet(client, EXPORT)
    assert rows[1] == HEADERS
    assert rows[0][0].startswith("督办单；范围：全部督办单；") and "共7件" in rows[0][0]
    by_title = {r[1]: r for r in rows[2:]}
    assigned = by_title["新交办事项"]
    assert assigned[0] == items["assigned"].number
    assert assigned[2:9] == ["领导批示", "三南村", "招商局、农业农村局", "月底前报送方案",
                             items["assigned"].deadline, "已交办", 0]
    assert assigned[9:] == ["否", ""]
    overdue = by_title["逾期事项"]
    assert overdue[2] == "会议交办" and overdue[4] == ""
    assert (overdue[7], overdue[8], overdue[9], overdue[10]) == ("办理中", 2, "是", 4)
    assert by_title["逾期办结事项"][7:] == ["已办结", 0, "逾期办结", 3]
    assert by_title["按期办结事项"][9:] == ["否", ""]
    assert by_title["立项未交办"][2] == "目标任务"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"state": "in_progress"},
        {"lead_unit": "AGRI"},
        {"source_kind": "meeting_decision"},
        {"overdue": "1"},
        {"q": "办结"},
        {"q": "方案"},  # matches the requirement, not the title
        {"state": "closed", "q": "逾期"},
        {"state": "bogus", "lead_unit": "x", "source_kind": "bogus"},  # ignored, as on the page
    ],
)
@pytest.mark.parametrize("role", ["supervisor", "village", "invest"])
def test_export_rows_are_the_rows_the_list_page_shows(client, users, units, items, params, role):
    params = {k: str(units["agri"].pk) if v == "AGRI" else v for k, v in params.items()}
    client.force_login(users[role])
    assert column(first_sheet(client, EXPORT, params), "编号") == page_numbers(client, params)


def test_export_holds_every_page_of_the_list(client, users, make_item):
    for i in range(53):  # the page shows 50
        make_item(State.REGISTERED, title=f"批量事项{i}")
    client.force_login(users["leader"])
    numbers = column(first_sheet(client, EXPORT), "编号")
    assert len(numbers) == 53
    assert numbers == page_numbers(client)
    assert len(client.get(LIST).context["page"]) == 50


def test_the_note_names_the_filters(client, users, units, items):
    client.force_login(users["supervisor"])
    params = {"state": "in_progress", "lead_unit": units["village"].pk, "source_kind": "meeting_decision",
              "overdue": "1", "q": "逾期"}
    rows = first_sheet(client, EXPORT, params)
    assert column(rows, "标题") == ["逾期事项"]
    note = rows[0][0]
    for part in ["状态：办理中", "牵头单位：三南村", "来源：会议交办", "只看逾期", "搜索：“逾期”", "共1件"]:
        assert part in note


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("supervisor", {"立项未交办", "新交办事项", "逾期事项", "已反馈事项", "按期办结事项", "农业局牵头事项", "逾期办结事项"}),
        ("leader", {"立项未交办", "新交办事项", "逾期事项", "已反馈事项", "按期办结事项", "农业局牵头事项", "逾期办结事项"}),
        # 农业农村局 leads one, assists one, and sees its village's through the tree.
        ("agri", {"立项未交办", "新交办事项", "逾期事项", "已反馈事项", "按期办结事项", "农业局牵头事项", "逾期办结事项"}),
        ("village", {"立项未交办", "新交办事项", "逾期事项", "已反馈事项", "按期办结事项", "逾期办结事项"}),
        ("invest", {"新交办事项"}),  # assists only
        ("nounit", set()),
    ],
)
def test_a_users_export_holds_only_their_scope(client, users, items, role, expected):
    client.force_login(users[role])
    rows = first_sheet(client, EXPORT)
    assert set(column(rows, "标题")) == expected
    if users[role].can("supervision.handle_item"):
        assert f"范围：{users[role].unit.name}及下属单位牵头或协办的督办单" in rows[0][0]


def test_anonymous_goes_to_the_login_page(client, items):
    for url in (EXPORT, INBOX_EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_filter_items_is_what_the_page_uses(users, units, items):
    filters, qs = filter_items(users["village"], {"overdue": "1", "lead_unit": str(units["village"].pk)}, TODAY)
    assert filters.overdue and filters.lead_unit == units["village"].pk
    assert [i.title for i in qs] == ["逾期事项"]


def _fill(make_item, n: int) -> None:
    for _ in range(n):
        make_item(State.ASSIGNED, assisting=["invest", "agri"])
        make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1), today=PAST, assisting=["agri"])
        make_item(State.CLOSED)


@pytest.mark.parametrize("url", [EXPORT, INBOX_EXPORT])
@pytest.mark.parametrize("role", ["supervisor", "village"])
def test_export_query_count_does_not_grow_with_the_items(client, users, make_item, url, role):
    client.force_login(users[role])
    _fill(make_item, 2)
    small = count_queries(client, url)
    _fill(make_item, 4)  # 3N
    assert count_queries(client, url) == small
    assert len(first_sheet(client, url)) > 2 + 6


# ---------------------------------------------------------------- inbox


def test_the_inbox_export_has_a_units_open_led_items_and_every_open_item_for_the_office(client, users, items):
    client.force_login(users["village"])
    rows = first_sheet(client, INBOX_EXPORT)
    assert rows[1] == HEADERS
    # Open items the village leads, nearest deadline first; not the closed ones, nor 农业农村局's.
    expected = sorted((items[k] for k in ("registered", "assigned", "overdue", "feedback")),
                      key=lambda i: (i.deadline, i.pk))
    assert column(rows, "编号") == [i.number for i in expected]
    assert "范围：三南村及下属单位牵头的未办结督办单" in rows[0][0]

    client.force_login(users["invest"])  # assists 新交办事项 but leads nothing
    assert first_sheet(client, INBOX_EXPORT)[2:] == []

    client.force_login(users["supervisor"])
    titles = set(column(first_sheet(client, INBOX_EXPORT), "标题"))
    assert titles == {"立项未交办", "新交办事项", "逾期事项", "已反馈事项", "农业局牵头事项"}

    client.force_login(users["nounit"])
    assert first_sheet(client, INBOX_EXPORT)[2:] == []


def test_the_inbox_export_holds_what_the_inbox_cuts_off(client, users, items, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_LIMIT", 1)
    client.force_login(users["village"])
    shown = {item.number for block in client.get(reverse("supervision:inbox")).context["blocks"]
             for item in block["items"]}
    exported = set(column(first_sheet(client, INBOX_EXPORT), "编号"))
    assert shown < exported


# ---------------------------------------------------------------- buttons


def test_the_list_button_carries_the_filters_and_reads_the_form_at_click_time(client, users, items):
    client.force_login(users["supervisor"])
    html = client.get(LIST, {"state": "closed", "q": "办结"}).content.decode()
    assert f'href="{EXPORT}?state=closed&amp;q=%E5%8A%9E%E7%BB%93"' in html
    assert 'data-export-form="item-filters"' in html and 'id="item-filters"' in html
    follow = download(client, EXPORT, {"state": "closed", "q": "办结"})
    assert set(column(next(iter(follow.values())), "标题")) == {"按期办结事项", "逾期办结事项"}


@pytest.mark.parametrize(("role", "shown"), [("village", True), ("supervisor", True), ("nounit", False)])
def test_the_inbox_shows_its_export_button_when_it_has_blocks(client, users, items, role, shown):
    client.force_login(users[role])
    assert (INBOX_EXPORT in client.get(reverse("supervision:inbox")).content.decode()) is shown
