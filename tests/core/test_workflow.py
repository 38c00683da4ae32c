"""The workflow engine (core.workflow) on a tiny table of its own over 督办单, then supervision's tables.

Every step writes the object, one event and one ChangeRecord, in one transaction; every refusal
(unknown action, wrong state, wrong actor, missing input, stale version, a hook that fails) writes
nothing.
"""

import datetime as dt

import pytest

from tests.conftest import TEST_TODAY
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.core.workflow import Requirement, Transition, Workflow
from yuanqu.supervision import services
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

TODAY = TEST_TODAY


def office(user, item) -> bool:
    return user.can("supervision.issue_item")


def anyone(user, item) -> bool:
    return True


def boom(step) -> None:
    raise RuntimeError("the notice service is down")


FLOW = Workflow(
    model=SupervisionItem,
    event_model=SupervisionEvent,
    event_fk="item",
    transitions=[
        Transition("assign", "派发", (State.REGISTERED,), State.ASSIGNED, office,
                   requires=(Requirement("comment", "请填写派发说明。"),)),
        Transition("urge", "提醒", (State.ASSIGNED,), None, anyone),
        Transition("start", "开工", (State.ASSIGNED,), State.IN_PROGRESS, anyone, effect=boom),
    ],
)


@pytest.fixture
def item(users, units):
    return services.item_create(actor=users["supervisor"], data={
        "title": "引擎测试", "source_kind": "meeting_decision", "source_text": "纪要", "lead_unit": units["village"],
        "deadline": TODAY + dt.timedelta(days=10),
    })


def written(item) -> tuple:
    """Everything a refused step must leave alone."""
    fresh = SupervisionItem.objects.get(pk=item.pk)
    return (fresh.state, fresh.version, SupervisionEvent.objects.filter(item=item).count(),
            ChangeRecord.objects.count(), Notification.objects.count())


def test_a_step_moves_the_state_bumps_the_version_and_writes_one_event_and_one_change(item, users):
    before = written(item)
    step = FLOW.transition(item, "assign", actor=users["supervisor"], expected_version=item.version,
                           comment=" 请牵头办理 ")
    fresh = SupervisionItem.objects.get(pk=item.pk)
    assert (fresh.state, fresh.version) == (State.ASSIGNED, item.version + 1)
    assert SupervisionEvent.objects.filter(item=item).count() == before[2] + 1
    assert ChangeRecord.objects.count() == before[3] + 1
    event = step.event
    assert (event.action, event.from_state, event.to_state, event.actor, event.comment) == (
        "assign", State.REGISTERED, State.ASSIGNED, users["supervisor"], "请牵头办理")
    change = history_for(item).first()
    assert change.action == ChangeRecord.Action.UPDATE and change.actor == users["supervisor"]
    assert change.before == {"state": "registered", "version": 1}
    assert change.after == {"state": "assigned", "version": 2}
    assert change.note == "派发：请牵头办理"


def test_a_step_that_keeps_the_state_is_still_one_event_and_one_change(item, users):
    FLOW.transition(item, "assign", actor=users["supervisor"], comment="派发")
    before = written(item)
    FLOW.transition(item, "urge", actor=users["village"])
    after = written(item)
    assert after[0] == State.ASSIGNED and after[1:4] == (before[1] + 1, before[2] + 1, before[3] + 1)
    assert history_for(item).first().note == "提醒"


@pytest.mark.parametrize(
    "action, actor, data, error, message, field",
    [
        ("publish", "supervisor", {"comment": "x"}, ApplicationError, "未知的操作“publish”。", None),
        ("start", "supervisor", {}, ApplicationError, "当前状态为“立项”，不能开工。", None),
        ("assign", "village", {"comment": "x"}, PermissionDeniedError, "您无权派发。", None),
        ("assign", "supervisor", {"comment": "  "}, ApplicationError, "请填写派发说明。", "comment"),
        ("assign", "supervisor", {}, ApplicationError, "请填写派发说明。", "comment"),
    ],
)
def test_a_refused_step_names_why_and_writes_nothing(item, users, action, actor, data, error, message, field):
    before = written(item)
    with pytest.raises(error) as info:
        FLOW.transition(item, action, actor=users[actor], **data)
    assert info.value.message == message and info.value.field == field
    assert written(item) == before


def test_a_stale_version_is_a_conflict_and_writes_nothing(item, users):
    before = written(item)
    with pytest.raises(ConflictError, match="当前为第1版，您提交的是第0版"):
        FLOW.transition(item, "assign", actor=users["supervisor"], expected_version=0, comment="x")
    assert written(item) == before


def test_a_failing_hook_undoes_the_whole_step(item, users):
    FLOW.transition(item, "assign", actor=users["supervisor"], comment="派发")
    before = written(item)
    with pytest.raises(RuntimeError):
        FLOW.transition(item, "start", actor=users["village"])
    assert written(item) == before


def test_available_follows_state_and_actor(item, users):
    assert [t.action for t in FLOW.available(users["supervisor"], item)] == ["assign"]
    assert FLOW.available(users["village"], item) == []
    FLOW.transition(item, "assign", actor=users["supervisor"], comment="派发")
    item.refresh_from_db()
    assert [t.action for t in FLOW.available(users["village"], item)] == ["urge", "start"]


# ---------------------------------------------------------------- supervision's tables


STEPS = [("assign", "supervisor", ""), ("start", "village", ""), ("urge", "supervisor", "抓紧"),
         ("feedback", "village", "已完成"), ("return", "supervisor", "材料不全"),
         ("feedback", "village", "已补充"), ("close", "supervisor", "")]


def test_every_supervision_transition_is_one_event_and_one_change_record(item, users):
    for action, role, comment in STEPS:
        events, changes = SupervisionEvent.objects.count(), ChangeRecord.objects.count()
        services.transition(actor=users[role], item=item, action=action, comment=comment)
        assert (SupervisionEvent.objects.count(), ChangeRecord.objects.count()) == (events + 1, changes + 1), action
    notes = [r.note for r in history_for(item).order_by("id")]
    assert notes == ["", "交办", "签收办理", "催办：抓紧", "反馈：已完成", "退回：材料不全", "反馈：已补充", "办结"]
    closing = history_for(item).first()
    assert closing.before["state"] == "feedback" and closing.after["state"] == "closed"
    assert closing.after["closed_on"] == f"{TODAY:%Y-%m-%d}"


def test_an_extension_is_an_approval_with_its_own_history(item, users):
    services.item_assign(actor=users["supervisor"], item=item)
    request = services.extension_request(actor=users["village"], item=item, reason="汛期", progress="过半",
                                         requested_deadline=item.deadline + dt.timedelta(days=5))
    changes = ChangeRecord.objects.count()
    services.extension_approve(actor=users["supervisor"], request=request, comment="同意")
    # The request's decision, and the item's new deadline.
    assert ChangeRecord.objects.count() == changes + 2
    decision = history_for(request).get()
    assert (decision.before["status"], decision.after["status"]) == ("pending", "approved")
    assert decision.note.startswith("同意延期：办理期限由")
    assert [t.action for t in services.EXTENSION_FLOW.available(users["supervisor"],
                                                                ExtensionRequest.objects.get())] == []
