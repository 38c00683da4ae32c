"""Pages: scoped, constant query counts, actions through POST (plain and htmx), notifications."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.core.models import Notification
from yuanqu.core.notifications import notify_once
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionItem

from ..factories import target
from .conftest import TODAY


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def fill(make_item, n: int) -> None:
    """n items in each interesting situation for the village (lead) and 招商局 (assisting)."""
    past = TODAY - dt.timedelta(days=30)
    for _ in range(n):
        make_item(State.ASSIGNED, assisting=["invest"])
        make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=2))
        make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1), today=past)
        make_item(State.FEEDBACK)
        make_item(State.CLOSED)


@pytest.mark.parametrize("role", ["supervisor", "village", "leader"])
@pytest.mark.parametrize("page", ["supervision:list", "supervision:inbox"])
def test_query_count_does_not_grow_with_the_items(client, make_item, users, role, page):
    client.force_login(users[role])
    url = reverse(page)
    fill(make_item, 2)
    small = queries(client, url)
    fill(make_item, 4)
    assert queries(client, url) == small
    assert queries(client, url + "?overdue=1&state=in_progress&q=督办") <= small


def test_detail_query_count_does_not_grow_with_the_timeline(client, make_item, users):
    client.force_login(users["supervisor"])
    item = make_item(State.IN_PROGRESS)
    url = reverse("supervision:detail", args=[item.pk])
    small = queries(client, url)
    from yuanqu.supervision import services

    for _ in range(6):
        services.item_urge(actor=users["supervisor"], item=item, comment="催")
    request = services.extension_request(actor=users["village"], item=item,
                                         requested_deadline=item.deadline + dt.timedelta(days=3), reason="理由",
                                         progress="进展")
    services.extension_refuse(actor=users["supervisor"], request=request, comment="不同意")
    assert queries(client, url) == small


def test_the_list_is_scoped_and_filtered(client, make_item, users):
    mine = make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1), today=TODAY - dt.timedelta(days=9),
                     title="三南村逾期事项")
    make_item(State.ASSIGNED, lead="invest", title="招商局的事项")
    client.force_login(users["village"])
    body = client.get(reverse("supervision:list")).content.decode()
    assert "三南村逾期事项" in body and "招商局的事项" not in body
    client.force_login(users["leader"])
    body = client.get(reverse("supervision:list") + "?overdue=1").content.decode()
    assert "三南村逾期事项" in body and "招商局的事项" not in body and "逾期1天" in body
    body = client.get(reverse("supervision:list") + "?q=招商").content.decode()
    assert "招商局的事项" in body and "三南村逾期事项" not in body
    partial = client.get(reverse("supervision:list") + f"?lead_unit={mine.lead_unit_id}", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "三南村逾期事项" in partial.content.decode()


def test_a_back_button_history_restore_gets_the_whole_list_page(client, make_item, users):
    make_item(State.ASSIGNED, title="三南村的事项")
    client.force_login(users["leader"])
    # htmx asks for the page itself after a history cache miss; a bare table would replace <body>.
    response = client.get(reverse("supervision:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and "三南村的事项" in body


def test_an_item_outside_the_scope_is_404(client, make_item, users):
    item = make_item(lead="invest")
    client.force_login(users["village"])
    assert client.get(reverse("supervision:detail", args=[item.pk])).status_code == 404
    response = client.post(reverse("supervision:act", args=[item.pk, "start"]))
    assert response.status_code == 404


def test_the_inbox_sorts_the_units_work(client, make_item, users):
    assigned = make_item(State.ASSIGNED, title="待签收的事项")
    returned = make_item(State.FEEDBACK, title="被退回的事项")
    from yuanqu.supervision import services

    services.item_return(actor=users["supervisor"], item=returned, comment="补充材料")
    make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=2), today=TODAY - dt.timedelta(days=9),
              title="逾期的事项")
    client.force_login(users["village"])
    response = client.get(reverse("supervision:inbox"))
    sections = {b["key"]: b for b in response.context["blocks"]}
    assert [i.pk for i in sections["assigned"]["items"]] == [assigned.pk]
    assert [i.title for i in sections["returned"]["items"]] == ["被退回的事项"]
    assert [i.title for i in sections["overdue"]["items"]] == ["逾期的事项"]
    assert sections["due_soon"]["count"] == 0
    assert {i.title for i in sections["in_progress"]["items"]} == {"被退回的事项", "逾期的事项"}
    client.force_login(users["supervisor"])
    sections = {b["key"]: b for b in client.get(reverse("supervision:inbox")).context["blocks"]}
    assert sections["feedback"]["count"] == 0 and sections["overdue"]["count"] == 1


def test_buttons_follow_role_and_state(client, make_item, users):
    item = make_item(State.FEEDBACK)
    url = reverse("supervision:detail", args=[item.pk])
    client.force_login(users["supervisor"])
    body = client.get(url).content.decode()
    assert reverse("supervision:act", args=[item.pk, "close"]) in body
    assert reverse("supervision:act", args=[item.pk, "return"]) in body
    client.force_login(users["village"])
    body = client.get(url).content.decode()
    assert "/act/" not in body and "当前无需您操作" in body


def test_actions_through_the_page(client, make_item, users):
    item = make_item(State.REGISTERED)
    client.force_login(users["supervisor"])
    response = client.post(reverse("supervision:act", args=[item.pk, "assign"]),
                           {"comment": "请办理", "expected_version": item.version})
    assert response.status_code == 302
    client.force_login(users["village"])
    item.refresh_from_db()
    response = client.post(reverse("supervision:act", args=[item.pk, "start"]),
                           {"expected_version": item.version}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "已签收" in body
    # A stale form: the page says so and nothing moves.
    response = client.post(reverse("supervision:act", args=[item.pk, "feedback"]),
                           {"comment": "完成", "expected_version": item.version}, HTTP_HX_REQUEST="true")
    assert "已被他人处理" in response.content.decode()
    assert SupervisionItem.objects.get(pk=item.pk).state == State.IN_PROGRESS
    # A refused action shows the service's Chinese message.
    client.force_login(users["supervisor"])
    response = client.post(reverse("supervision:act", args=[item.pk, "close"]), follow=True)
    assert "当前状态为“办理中”，不能直接办结" in response.content.decode()


def test_extension_through_the_page(client, make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=1))
    client.force_login(users["village"])
    response = client.post(reverse("supervision:extension_request", args=[item.pk]),
                           {"requested_deadline": f"{TODAY + dt.timedelta(days=9):%Y-%m-%d}", "reason": "理由",
                            "progress": "进展"}, HTTP_HX_REQUEST="true")
    assert "延期申请已提交" in response.content.decode()
    ext = ExtensionRequest.objects.get(item=item)
    client.force_login(users["supervisor"])
    client.post(reverse("supervision:extension_decide", args=[ext.pk]), {"decision": "approved", "comment": "同意"})
    assert SupervisionItem.objects.get(pk=item.pk).deadline == TODAY + dt.timedelta(days=9)


def test_create_from_a_target_is_prefilled(client, plan, users, units):
    t = target(plan, "农民收入")
    client.force_login(users["supervisor"])
    response = client.get(reverse("supervision:create") + f"?target={t.pk}")
    form = response.context["form"]
    assert form.initial["target"] == t.pk and form.initial["lead_unit"] == units["invest"].pk
    assert form.initial["assisting_units"] == [units["agri"].pk] and form.initial["source_kind"] == "target"
    data = {
        "title": form.initial["title"], "source_kind": "target", "target": t.pk, "source_text": "文字",
        "lead_unit": units["invest"].pk, "assisting_units": [units["agri"].pk], "requirement": "按期完成",
        "day_type": "calendar", "time_limit": "", "deadline": f"{TODAY + dt.timedelta(days=10):%Y-%m-%d}",
        "and_assign": "1", "from_target": t.pk,
    }
    response = client.post(reverse("supervision:create"), data)
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:detail", args=[item.pk])
    assert item.state == State.ASSIGNED and item.target == t and list(item.assisting_units.all()) == [units["agri"]]


def test_create_shows_service_errors_on_the_field(client, users, units):
    client.force_login(users["supervisor"])
    response = client.post(reverse("supervision:create"), {
        "title": "事项", "source_kind": "leader_instruction", "source_text": "", "lead_unit": units["agri"].pk,
        "day_type": "calendar", "deadline": f"{TODAY + dt.timedelta(days=3):%Y-%m-%d}",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["source_text"] == ["请填写领导批示的内容。"]
    assert not SupervisionItem.objects.exists()


@pytest.mark.parametrize("role, status", [("supervisor", 200), ("admin", 200), ("leader", 403), ("agri", 403)])
def test_only_the_office_opens_the_create_form(client, users, role, status):
    client.force_login(users[role])
    assert client.get(reverse("supervision:create")).status_code == status


# ---------------------------------------------------------------- notifications


def test_notifications_unread_first_and_marked_read(client, users):
    me, other = users["agri"], users["invest"]
    old = notify_once(recipient=me, key="a", kind="x", title="旧通知", url="/supervision/")
    new = notify_once(recipient=me, key="b", kind="x", title="新通知")
    notify_once(recipient=other, key="c", kind="x", title="别人的通知")
    Notification.objects.filter(pk=new.pk).update(read_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    client.force_login(me)
    page = client.get(reverse("core:notifications")).context["page"]
    assert [n.title for n in page] == ["旧通知", "新通知"]
    response = client.get(reverse("core:notification_open", args=[old.pk]))
    assert response["Location"] == "/supervision/"
    assert Notification.objects.get(pk=old.pk).read_at is not None
    assert client.get(reverse("core:notification_open", args=[old.pk + 2])).status_code == 404  # not mine


def test_mark_all_read_touches_only_my_notices(client, users):
    notify_once(recipient=users["agri"], key="a", kind="x", title="甲")
    notify_once(recipient=users["agri"], key="b", kind="x", title="乙")
    notify_once(recipient=users["invest"], key="c", kind="x", title="丙")
    client.force_login(users["agri"])
    assert client.get(reverse("core:notifications_mark_read")).status_code == 405
    client.post(reverse("core:notifications_mark_read"))
    assert not Notification.objects.filter(recipient=users["agri"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=users["invest"], read_at__isnull=True).count() == 1


def test_notification_links_stay_on_this_site(client, users):
    evil = notify_once(recipient=users["agri"], key="x", kind="x", title="外链", url="https://evil.example/")
    client.force_login(users["agri"])
    assert client.get(reverse("core:notification_open", args=[evil.pk]))["Location"] == reverse("core:notifications")


def test_the_item_page_shows_its_transitions_in_its_history(client, make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=2))
    from yuanqu.supervision import services

    request = services.extension_request(actor=users["village"], item=item,
                                         requested_deadline=TODAY + dt.timedelta(days=9), reason="汛期",
                                         progress="过半")
    services.extension_approve(actor=users["supervisor"], request=request, comment="同意")
    client.force_login(users["village"])
    body = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    history = body[body.index('id="history"'):]
    history = history[: history.index('id="actions"')]
    for text in ["交办", "状态：立项 → 已交办", "签收办理", "状态：已交办 → 办理中", "申请延期：申请由",
                 "延期申请 · 修改", "审批结果：待审批 → 已同意", "同意延期：办理期限由", "super1", "village1"]:
        assert text in history, text


def test_a_leader_who_also_reports_for_a_unit_sees_both_roles_blocks_and_export(client, make_item, users):
    to_sign = make_item(State.ASSIGNED, lead="invest", title="招商局待签收")
    late = make_item(State.IN_PROGRESS, lead="village", deadline=TODAY - dt.timedelta(days=2),
                     today=TODAY - dt.timedelta(days=9), title="三南村逾期")
    person = users["leader_invest"]  # leader (reads all) and reporter for 招商局
    client.force_login(person)
    sections = {b["key"]: b for b in client.get(reverse("supervision:inbox")).context["blocks"]}
    assert [i.pk for i in sections["assigned"]["items"]] == [to_sign.pk]  # as 招商局's reporter
    assert [i.pk for i in sections["overdue"]["items"]] == [late.pk]  # as a leader: every unit's
    assert "feedback" not in sections  # a leader does not review
    from ..core.spreadsheets import sheets

    rows = list(sheets(client.get(reverse("reports:export_supervision_inbox")).content).values())[0]
    titles = {cell for row in rows for cell in row if isinstance(cell, str)}
    assert {"招商局待签收", "三南村逾期"} <= titles
    # Home: the plan a leader reads, not only the unit's page.
    assert client.get(reverse("plans:home")).url != reverse("plans:my_unit")
