"""The event lifecycle on the workflow engine: every allowed move, every refusal (wrong state, wrong
person, missing input), and nothing written when refused."""

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.grid import services
from yuanqu.grid.models import EventStep, GridEvent, State

from .conftest import walk

FULL = ["accept", "dispatch", "sign", "handle", "feedback", "verify", "close", "evaluate"]
INPUTS = {"feedback": {"comment": "已修复路面"}, "evaluate": {"satisfaction": 5}, "reject": {"comment": "重复上报"},
          "return": {"comment": "不属本单位"}, "verify_fail": {"comment": "仍有坑洞"}, "raise": {"deadline": "2026-10-30"}}
# Each state's allowed actions (the rest are refused with the state named).
ALLOWED = {
    State.REPORTED: {"accept", "reject"},
    State.ACCEPTED: {"dispatch", "raise"},
    State.DISPATCHED: {"sign", "return", "raise"},
    State.SIGNED: {"handle", "return", "raise"},
    State.HANDLING: {"feedback", "raise"},
    State.FED_BACK: {"verify", "verify_fail", "raise"},
    State.VERIFIED: {"close", "raise"},
    State.CLOSED: {"evaluate"},
    State.EVALUATED: set(),
    State.REJECTED: set(),
}
PATH = {State.REPORTED: [], State.ACCEPTED: FULL[:1], State.DISPATCHED: FULL[:2], State.SIGNED: FULL[:3],
        State.HANDLING: FULL[:4], State.FED_BACK: FULL[:5], State.VERIFIED: FULL[:6], State.CLOSED: FULL[:7],
        State.EVALUATED: FULL, State.REJECTED: ["reject"]}


def test_the_whole_way_from_report_to_evaluation_leaves_one_step_and_one_record_each(zone, rules, make_event, more_units):
    event = make_event()
    assert event.number.startswith("WG2026") and event.state == State.REPORTED
    walk(event, FULL, None, **INPUTS)
    event = GridEvent.objects.get(pk=event.pk)
    assert event.state == State.EVALUATED and event.satisfaction == 5 and event.result == "已修复路面"
    assert event.assigned_unit == more_units["build"]  # 城市管理 → 建设局 by the rule
    assert event.dispatched_at and event.signed_at and event.fed_back_at and event.closed_at and event.due_at
    assert list(EventStep.objects.filter(grid_event=event).values_list("action", flat=True)) == FULL
    records = ChangeRecord.objects.filter(object_id=event.pk, content_type__model="gridevent")
    assert records.count() == len(FULL) + 1  # the creation and one per step
    assert event.version == len(FULL) + 1


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_action_is_allowed_exactly_in_its_states(zone, rules, make_event, state):
    event = walk(make_event(), PATH[state], None, **INPUTS)
    assert event.state == state
    for action in services.ACTIONS:
        fresh = GridEvent.objects.get(pk=event.pk)
        if action in ALLOWED[state]:
            continue
        with pytest.raises(ApplicationError) as refused:
            services.event_step(actor=None, event=fresh, action=action, **INPUTS.get(action, {}))
        assert refused.value.message.startswith(f"当前状态为“{fresh.get_state_display()}”，不能")
        assert GridEvent.objects.get(pk=event.pk).version == fresh.version  # nothing written
    assert {t.action for t in services.EVENT_FLOW.available(None, event) if t.action != "escalate"} == ALLOWED[state]


@pytest.mark.parametrize("state", [s for s, allowed in ALLOWED.items() if allowed])
def test_every_allowed_action_moves_where_the_table_says(zone, rules, make_event, state):
    targets = {"accept": State.ACCEPTED, "reject": State.REJECTED, "dispatch": State.DISPATCHED, "sign": State.SIGNED,
               "handle": State.HANDLING, "feedback": State.FED_BACK, "return": State.ACCEPTED,
               "verify": State.VERIFIED, "verify_fail": State.HANDLING, "close": State.CLOSED,
               "evaluate": State.EVALUATED, "raise": state}
    for action in ALLOWED[state]:
        event = walk(make_event(), PATH[state], None, **INPUTS)
        moved = services.event_step(actor=None, event=event, action=action, **INPUTS.get(action, {}))
        assert moved.state == targets[action], action


@pytest.mark.parametrize("action,message,field", [
    ("reject", "不予受理时请填写理由。", "comment"),
    ("feedback", "反馈时请填写处置结果。", "comment"),
    ("return", "退回时请填写理由（如不属本单位职责）。", "comment"),
    ("verify_fail", "核查不通过时请写明现场情况。", "comment"),
    ("evaluate", "请填写群众满意度（1–5 分）。", "satisfaction"),
    ("raise", "提请督办时请填写督办办理期限。", "deadline"),
])
def test_a_step_without_its_input_is_refused_naming_the_field(zone, rules, make_event, action, message, field):
    before = {"reject": [], "feedback": FULL[:4], "return": FULL[:2], "verify_fail": FULL[:5], "evaluate": FULL[:7],
              "raise": FULL[:1]}[action]
    event = walk(make_event(), before, None, **INPUTS)
    with pytest.raises(ApplicationError) as refused:
        services.event_step(actor=None, event=event, action=action, comment="  ")
    assert (refused.value.message, refused.value.field) == (message, field)
    assert GridEvent.objects.get(pk=event.pk).version == event.version


def test_a_failed_verification_sends_it_back_to_handling_and_clears_the_answer(zone, rules, make_event):
    event = walk(make_event(), FULL[:5], None, **INPUTS)
    event = services.event_step(actor=zone["worker"], event=event, action="verify_fail", comment="仍有坑洞")
    assert event.state == State.HANDLING and event.fed_back_at is None and event.verify_failures == 1
    event = services.event_step(actor=zone["build"], event=event, action="feedback", comment="重新铺设")
    assert event.state == State.FED_BACK and event.fed_back_at is not None


def test_a_unit_returns_a_wrong_dispatch_to_the_centre_which_dispatches_again(zone, rules, make_event, more_units):
    event = walk(make_event(), FULL[:2], None, **INPUTS)
    event = services.event_step(actor=zone["build"], event=event, action="return", comment="属供电公司")
    assert event.state == State.ACCEPTED and event.assigned_unit is None and event.due_at is None
    event = services.event_step(actor=zone["centre"], event=event, action="dispatch", unit=more_units["invest"].pk)
    assert event.assigned_unit == more_units["invest"] and event.due_at is not None


@pytest.mark.parametrize("action,who", [
    ("accept", "worker"), ("accept", "build"), ("accept", "leader"), ("accept", "supervisor"),
    ("sign", "centre"), ("sign", "worker"), ("sign", "invest"), ("sign", "village"),
    ("close", "build"), ("close", "worker"),
])
def test_who_may_take_a_step(zone, rules, make_event, action, who):
    before = {"accept": [], "sign": FULL[:2], "close": FULL[:6]}[action]
    event = walk(make_event(), before, None, **INPUTS)
    with pytest.raises(PermissionDeniedError):
        services.event_step(actor=zone[who], event=event, action=action)
    assert GridEvent.objects.get(pk=event.pk).version == event.version


def test_the_handling_unit_signs_and_the_grids_own_worker_verifies_on_site(zone, rules, make_event):
    event = walk(make_event(), FULL[:2], zone["centre"], **INPUTS)
    event = walk(event, ["sign", "handle", "feedback"], zone["build"], **INPUTS)
    with pytest.raises(PermissionDeniedError):  # a worker of another grid
        services.event_step(actor=zone["worker2"], event=event, action="verify")
    event = services.event_step(actor=zone["worker"], event=event, action="verify")
    assert event.state == State.VERIFIED


def test_a_village_matter_is_handled_by_the_grids_workers_only(zone, rules, make_event, more_units):
    event = walk(make_event(category="garbage"), FULL[:2], zone["centre"])
    assert event.assigned_unit == more_units["village"]
    with pytest.raises(PermissionDeniedError):
        services.event_step(actor=zone["worker2"], event=event, action="sign")  # works the other grid
    assert services.event_step(actor=zone["worker"], event=event, action="sign").state == State.SIGNED
    # The village's reporter handles for the village too.
    assert services.event_step(actor=zone["village"], event=event, action="handle").state == State.HANDLING


def test_a_stale_version_is_refused(zone, rules, make_event):
    from yuanqu.core.errors import ConflictError

    event = make_event()
    services.event_step(actor=zone["centre"], event=event, action="accept", expected_version=1)
    with pytest.raises(ConflictError) as refused:
        services.event_step(actor=zone["centre"], event=event, action="dispatch", expected_version=1)
    assert "第2版" in refused.value.message


def test_raising_to_a_supervision_item_goes_through_the_handoff_once(zone, rules, make_event, more_units):
    event = walk(make_event(), FULL[:2], None, **INPUTS)
    event = services.event_step(actor=zone["centre"], event=event, action="raise", deadline="2026-10-30",
                                comment="久拖未决")
    item = event.supervision_item
    assert item is not None and item.source_kind == "grid_event" and item.lead_unit == more_units["build"]
    assert event.number in item.source_text and event.state == State.DISPATCHED
    with pytest.raises(ApplicationError, match="不能重复提请"):
        services.event_step(actor=zone["centre"], event=event, action="raise", deadline="2026-10-30")
