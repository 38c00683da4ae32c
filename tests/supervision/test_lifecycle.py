"""The 督办 state machine: allowed transitions, refusals that write nothing, urges, extensions."""

import datetime as dt

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.supervision import services
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

from .conftest import TODAY, db_state

Action = SupervisionEvent.Action


def actor_for(users, action):
    return users["supervisor"] if services.TRANSITIONS[action].may is services.may_supervise else users["village"]


# ---------------------------------------------------------------- allowed transitions


@pytest.mark.parametrize(
    "start, action, end",
    [
        (State.REGISTERED, "assign", State.ASSIGNED),
        (State.ASSIGNED, "start", State.IN_PROGRESS),
        (State.IN_PROGRESS, "feedback", State.FEEDBACK),
        (State.FEEDBACK, "close", State.CLOSED),
        (State.FEEDBACK, "return", State.IN_PROGRESS),
        (State.ASSIGNED, "urge", State.ASSIGNED),
        (State.IN_PROGRESS, "urge", State.IN_PROGRESS),
    ],
)
def test_each_allowed_transition_moves_the_state_and_logs_who_when_why(make_item, users, start, action, end):
    item = make_item(start)
    actor = actor_for(users, action)
    version = item.version
    services.transition(actor=actor, item=item, action=action, comment="按要求处理", expected_version=version)
    item.refresh_from_db()
    assert item.state == end
    assert item.version == version + 1
    event = item.events.order_by("-time", "-id").first()
    assert (event.action, event.from_state, event.to_state) == (action, start, end)
    assert event.actor == actor and event.comment == "按要求处理" and event.time is not None


def test_the_whole_life_of_an_item_is_on_its_timeline(make_item, users):
    item = make_item(State.FEEDBACK)
    services.item_return(actor=users["supervisor"], item=item, comment="材料不全")
    services.item_feedback(actor=users["village"], item=item, result="已补充材料")
    services.item_close(actor=users["supervisor"], item=item, today=TODAY)
    item.refresh_from_db()
    assert [e.action for e in item.events.order_by("time", "id")] == [
        "create", "assign", "start", "feedback", "return", "feedback", "close"
    ]
    assert item.result == "已补充材料" and item.closed_on == TODAY and item.return_count == 1


def test_numbers_run_per_year_in_the_official_form(make_item):
    first, second = make_item(), make_item()
    assert first.number == f"督办〔{TODAY.year}〕第1号"
    assert second.number == f"督办〔{TODAY.year}〕第2号"
    next_year = make_item(today=dt.date(TODAY.year + 1, 1, 5))
    assert next_year.number == f"督办〔{TODAY.year + 1}〕第1号" and next_year.year == TODAY.year + 1


def test_assign_notifies_the_lead_units_reporters_once(make_item, users):
    item = make_item(State.ASSIGNED)
    notices = Notification.objects.filter(key=f"supervision:{item.pk}:assign")
    assert [n.recipient for n in notices] == [users["village"]]
    assert item.number in notices[0].title and notices[0].url == f"/supervision/{item.pk}/"


def test_feedback_reaches_the_supervisors(make_item, users):
    item = make_item(State.FEEDBACK)
    assert Notification.objects.filter(recipient=users["supervisor"], key__startswith=f"supervision:{item.pk}:feedback")
    assert not Notification.objects.filter(recipient=users["leader"]).exists()


# ---------------------------------------------------------------- refused transitions

REFUSED = [
    (State.REGISTERED, "close", "当前状态为“立项”，不能直接办结"),
    (State.REGISTERED, "start", "当前状态为“立项”，不能直接签收办理"),
    (State.REGISTERED, "feedback", "当前状态为“立项”，不能直接反馈"),
    (State.REGISTERED, "return", "当前状态为“立项”，不能直接退回"),
    (State.REGISTERED, "urge", "当前状态为“立项”，不能直接催办"),
    (State.ASSIGNED, "assign", "当前状态为“已交办”，不能交办"),
    (State.ASSIGNED, "feedback", "当前状态为“已交办”，不能直接反馈"),
    (State.ASSIGNED, "close", "当前状态为“已交办”，不能直接办结"),
    (State.IN_PROGRESS, "close", "当前状态为“办理中”，不能直接办结"),
    (State.IN_PROGRESS, "return", "当前状态为“办理中”，不能直接退回"),
    (State.IN_PROGRESS, "start", "当前状态为“办理中”，不能签收办理"),
    (State.FEEDBACK, "feedback", "当前状态为“反馈待审”，不能反馈"),
    (State.FEEDBACK, "urge", "当前状态为“反馈待审”，不能催办"),
    (State.CLOSED, "urge", "当前状态为“已办结”，不能再催办"),
    (State.CLOSED, "return", "当前状态为“已办结”，不能再退回"),
    (State.CLOSED, "close", "当前状态为“已办结”，不能再办结"),
    (State.CLOSED, "assign", "当前状态为“已办结”，不能再交办"),
]


@pytest.mark.parametrize("state, action, message", REFUSED)
def test_refused_transition_names_state_and_action_and_writes_nothing(make_item, users, state, action, message):
    item = make_item(state)
    before = db_state(item)
    with pytest.raises(ApplicationError, match=message):
        services.transition(actor=actor_for(users, action), item=item, action=action, comment="意见",
                            expected_version=item.version)
    assert db_state(item) == before


@pytest.mark.parametrize("action, message", [("return", "退回时请填写退回意见"), ("feedback", None)])
def test_return_and_feedback_need_a_comment(make_item, users, action, message):
    item = make_item(State.FEEDBACK if action == "return" else State.IN_PROGRESS)
    before = db_state(item)
    with pytest.raises(ApplicationError, match=message or "请填写办理结果") as info:
        services.transition(actor=actor_for(users, action), item=item, action=action, comment="  ")
    assert info.value.field == "comment"
    assert db_state(item) == before


def test_a_stale_version_is_a_conflict_and_writes_nothing(make_item, users):
    item = make_item(State.ASSIGNED)
    seen = item.version
    services.item_urge(actor=users["supervisor"], item=item, expected_version=seen)
    before = db_state(item)
    with pytest.raises(ConflictError, match="已被他人处理"):
        services.item_urge(actor=users["supervisor"], item=item, expected_version=seen)
    with pytest.raises(ConflictError):
        services.item_start(actor=users["village"], item=item, expected_version=seen)
    assert db_state(item) == before


def test_a_deleted_item_takes_no_action(make_item, users):
    item = make_item()
    services.item_delete(actor=users["supervisor"], item=item)
    with pytest.raises(ApplicationError, match="已删除"):
        services.item_assign(actor=users["supervisor"], item=item)
    assert not SupervisionItem.objects.alive().filter(pk=item.pk).exists()


def test_only_registered_items_may_be_deleted(make_item, users):
    item = make_item(State.ASSIGNED)
    with pytest.raises(ApplicationError, match="只有尚未交办"):
        services.item_delete(actor=users["supervisor"], item=item)
    assert SupervisionItem.objects.alive().filter(pk=item.pk).exists()


# ---------------------------------------------------------------- create and edit


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"title": " "}, "title", "请填写督办事项"),
        ({"lead_unit": None}, "lead_unit", "请选择牵头单位"),
        ({"deadline": TODAY - dt.timedelta(days=1)}, "deadline", "不能早于今天"),
        ({"deadline": "2026/13/01"}, "deadline", "办理期限“2026/13/01”不是有效日期，应为 YYYY-MM-DD"),
        ({"source_kind": "target", "target": None}, "target", "请选择关联目标"),
        ({"source_text": ""}, "source_text", "请填写领导批示的内容"),
        ({"assisting_units": "LEAD"}, "assisting_units", "协办单位不能包含牵头单位"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(users, units, data, field, message):
    payload = {"title": "事项", "source_kind": "leader_instruction", "source_text": "批示", "lead_unit": units["agri"],
               "deadline": TODAY + dt.timedelta(days=5)}
    payload.update(data)
    if payload.get("assisting_units") == "LEAD":
        payload["assisting_units"] = [units["agri"]]
    with pytest.raises(ApplicationError, match=message) as info:
        services.item_create(actor=users["supervisor"], data=payload)
    assert info.value.field == field
    assert not SupervisionItem.objects.exists() and not SupervisionEvent.objects.exists()


def test_a_working_day_time_limit_counts_from_the_day_after_and_skips_holidays(users, units):
    # 2025-09-29 (Mon) + 3 working days skips the National Day holiday (domain.md §1.6).
    item = services.item_create(
        actor=users["supervisor"], today=dt.date(2025, 9, 29),
        data={"title": "事项", "source_kind": "meeting_decision", "source_text": "纪要", "lead_unit": units["agri"],
              "day_type": "working", "time_limit": 3},
    )
    assert item.deadline == dt.date(2025, 10, 10) and item.time_limit == 3 and item.day_type == "working"
    services.item_assign(actor=users["supervisor"], item=item, today=dt.date(2025, 12, 26))
    item.refresh_from_db()
    assert item.deadline == dt.date(2025, 12, 31)  # the time limit runs again from 交办


def test_working_days_outside_the_calendar_ask_for_a_date(users, units):
    with pytest.raises(ApplicationError, match="工作日历暂无") as info:
        services.item_create(
            actor=users["supervisor"], today=dt.date(2026, 12, 28),
            data={"title": "事项", "source_kind": "meeting_decision", "source_text": "纪要",
                  "lead_unit": units["agri"], "day_type": "working", "time_limit": 10},
        )
    assert info.value.field == "time_limit"


def test_a_target_item_links_the_target_and_defaults_the_issuing_unit(plan, users, units):
    target = plan.targets.get(title__startswith="培育新型农民")
    item = services.item_create(
        actor=users["supervisor"],
        data={"title": "督办", "source_kind": "target", "target": target.pk, "lead_unit": units["agri"],
              "deadline": TODAY + dt.timedelta(days=3)},
    )
    assert item.target == target and item.issuing_unit == users["supervisor"].unit
    assert [r.action for r in history_for(item)] == [ChangeRecord.Action.CREATE]


def test_after_assignment_the_deadline_changes_only_by_extension(make_item, users):
    item = make_item(State.IN_PROGRESS)
    with pytest.raises(ApplicationError, match="延期申请"):
        services.item_update(actor=users["supervisor"], item=item,
                             data={"deadline": item.deadline + dt.timedelta(days=9)})
    services.item_update(actor=users["supervisor"], item=item, data={"title": "改过的标题",
                                                                     "deadline": item.deadline})
    item.refresh_from_db()
    assert item.title == "改过的标题"
    assert item.events.filter(action=Action.UPDATE).count() == 1
    # One record for the edit (the transitions that brought the item here have their own).
    assert history_for(item).filter(action=ChangeRecord.Action.UPDATE, note__startswith="修改了").count() == 1


def test_an_edit_over_a_newer_version_is_refused(make_item, users):
    item = make_item()
    services.item_update(actor=users["supervisor"], item=item, data={"title": "甲"}, expected_version=item.version)
    with pytest.raises(ConflictError):
        services.item_update(actor=users["supervisor"], item=item, data={"title": "乙"},
                             expected_version=item.version)
    assert SupervisionItem.objects.get(pk=item.pk).title == "甲"


# ---------------------------------------------------------------- urges


def test_each_urge_counts_is_logged_and_is_a_new_notice(make_item, users):
    item = make_item(State.ASSIGNED)
    services.item_urge(actor=users["supervisor"], item=item, comment="请抓紧")
    services.item_start(actor=users["village"], item=item)
    services.item_urge(actor=users["supervisor"], item=item, comment="进度滞后")
    item.refresh_from_db()
    assert item.urge_count == 2 and item.state == State.IN_PROGRESS
    urges = list(item.events.filter(action=Action.URGE).order_by("id"))
    assert [(e.comment, e.actor) for e in urges] == [("请抓紧", users["supervisor"]), ("进度滞后", users["supervisor"])]
    keys = set(Notification.objects.filter(recipient=users["village"]).values_list("key", flat=True))
    assert {f"supervision:{item.pk}:urge:1", f"supervision:{item.pk}:urge:2"} <= keys


# ---------------------------------------------------------------- extensions


def test_an_extension_requested_after_the_deadline_is_refused_and_writes_nothing(make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=2))
    before = db_state(item)
    with pytest.raises(ApplicationError, match="已超过办理期限，不能申请延期"):
        services.extension_request(actor=users["village"], item=item, requested_deadline=TODAY + dt.timedelta(days=30),
                                   reason="原因", progress="进展", today=TODAY + dt.timedelta(days=3))
    assert db_state(item) == before


def test_an_extension_may_be_asked_on_the_last_day(make_item, users):
    item = make_item(State.ASSIGNED, deadline=TODAY + dt.timedelta(days=2))
    request = services.extension_request(
        actor=users["village"], item=item, requested_deadline=TODAY + dt.timedelta(days=9), reason="原因",
        progress="进展", today=TODAY + dt.timedelta(days=2),
    )
    assert request.status == ExtensionRequest.Status.PENDING and request.previous_deadline == item.deadline
    assert item.events.filter(action=Action.EXTENSION_REQUEST).count() == 1
    assert Notification.objects.filter(recipient=users["supervisor"], key=f"supervision:{item.pk}:extension:{request.pk}")


@pytest.mark.parametrize(
    "days, reason, progress, message",
    [
        (0, "原因", "进展", "须晚于当前办理期限"),
        (-3, "原因", "进展", "须晚于当前办理期限"),
        (5, "", "进展", "请填写延期理由"),
        (5, "原因", " ", "请填写目前进展"),
    ],
)
def test_an_extension_needs_a_later_date_a_reason_and_progress(make_item, users, days, reason, progress, message):
    item = make_item(State.IN_PROGRESS)
    before = db_state(item)
    with pytest.raises(ApplicationError, match=message):
        services.extension_request(actor=users["village"], item=item,
                                   requested_deadline=item.deadline + dt.timedelta(days=days),
                                   reason=reason, progress=progress)
    assert db_state(item) == before


def test_an_extension_to_a_malformed_date_names_the_form_field(make_item, users):
    item = make_item(State.IN_PROGRESS)
    before = db_state(item)
    with pytest.raises(ApplicationError, match="申请延至“下个月”不是有效日期") as info:
        services.extension_request(actor=users["village"], item=item, requested_deadline="下个月", reason="原因",
                                   progress="进展")
    assert info.value.field == "requested_deadline"
    assert db_state(item) == before and not item.extension_requests.exists()


def test_one_pending_extension_at_a_time(make_item, users):
    item = make_item(State.IN_PROGRESS)
    ask = {"actor": users["village"], "item": item, "reason": "原因", "progress": "进展"}
    services.extension_request(requested_deadline=item.deadline + dt.timedelta(days=5), **ask)
    with pytest.raises(ApplicationError, match="已有待审批"):
        services.extension_request(requested_deadline=item.deadline + dt.timedelta(days=8), **ask)
    assert item.extension_requests.count() == 1


def test_an_approved_extension_moves_the_deadline_and_is_logged(make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=2))
    old = item.deadline
    new = TODAY + dt.timedelta(days=20)
    request = services.extension_request(actor=users["village"], item=item, requested_deadline=new,
                                         reason="受天气影响", progress="已完成70%")
    services.extension_approve(actor=users["supervisor"], request=request, comment="同意")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.deadline == new
    assert (request.status, request.decided_by, request.decision_comment) == ("approved", users["supervisor"], "同意")
    event = item.events.get(action=Action.EXTENSION_APPROVE)
    assert f"{old:%Y-%m-%d}" in event.comment and f"{new:%Y-%m-%d}" in event.comment
    change = history_for(item).get(note="同意延期")
    assert change.before == {"deadline": f"{old:%Y-%m-%d}"} and change.after == {"deadline": f"{new:%Y-%m-%d}"}
    assert Notification.objects.filter(recipient=users["village"], key__endswith=f"{request.pk}:approved").exists()


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(make_item, users):
    item = make_item(State.IN_PROGRESS)
    request = services.extension_request(actor=users["village"], item=item,
                                         requested_deadline=item.deadline + dt.timedelta(days=5),
                                         reason="原因", progress="进展")
    with pytest.raises(ApplicationError, match="请填写理由"):
        services.extension_refuse(actor=users["supervisor"], request=request, comment="")
    services.extension_refuse(actor=users["supervisor"], request=request, comment="理由不充分")
    with pytest.raises(ApplicationError, match="不能重复审批"):
        services.extension_approve(actor=users["supervisor"], request=request)
    fresh = SupervisionItem.objects.get(pk=item.pk)
    assert fresh.deadline == item.deadline
    assert item.events.filter(action=Action.EXTENSION_REFUSE).count() == 1


@pytest.mark.parametrize("state", [State.REGISTERED, State.FEEDBACK, State.CLOSED])
def test_extensions_only_while_the_lead_unit_holds_the_work(make_item, users, state):
    item = make_item(state)
    with pytest.raises(ApplicationError, match="不能.*申请延期"):
        services.extension_request(actor=users["village"], item=item,
                                   requested_deadline=item.deadline + dt.timedelta(days=5), reason="原因",
                                   progress="进展")
    assert not item.extension_requests.exists()


# ---------------------------------------------------------------- overdue


def test_overdue_is_open_and_past_the_deadline(make_item):
    due_today = make_item(State.IN_PROGRESS, deadline=TODAY)
    past = make_item(State.ASSIGNED, deadline=TODAY, today=TODAY)
    closed = make_item(State.CLOSED, deadline=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    assert set(SupervisionItem.objects.overdue(TODAY)) == set()
    assert set(SupervisionItem.objects.overdue(tomorrow)) == {due_today, past}
    assert closed not in SupervisionItem.objects.overdue(tomorrow + dt.timedelta(days=30))
    assert due_today.is_overdue(tomorrow) and not due_today.is_overdue(TODAY)
    assert set(SupervisionItem.objects.due_within(TODAY, 0)) == {due_today, past}
