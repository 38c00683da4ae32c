"""Every lifecycle's allowed and refused moves: mediation (受理 → 调解结束 → 回访) and petitions
(受理 → 办理意见 → 复查 → 复核, or 办结), 不予受理, one approved extension, 改派 before acceptance,
提请督办. A refusal is a Chinese message naming the field, and nothing is written."""

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.disputes import services
from yuanqu.disputes.models import CaseEvent, DisputeCase
from yuanqu.supervision.models import SupervisionItem

from .conftest import D, step


def refused(case, action, *, field=None, match=None, error=ApplicationError, actor=None, **data):
    """The step is refused with the message and field, and the case, its events and history are untouched."""
    before = DisputeCase.objects.get(pk=case.pk)
    events, changes = CaseEvent.objects.count(), ChangeRecord.objects.count()
    with pytest.raises(error, match=match) as exc:
        services.case_step(actor=actor, case=case.pk, action=action, **data)
    if field is not None:
        assert exc.value.field == field, exc.value.message
    after = DisputeCase.objects.get(pk=case.pk)
    assert (after.version, after.state) == (before.version, before.state)
    assert (CaseEvent.objects.count(), ChangeRecord.objects.count()) == (events, changes)
    return exc.value


def test_a_mediation_goes_from_acceptance_to_the_follow_up_visit(zone, make_case):
    case = make_case(kind="mediation", title="邻里宅基地界址纠纷", dispute_type="neighbour", mediator="陈调解员",
                     committee="三南村人民调解委员会")
    assert (case.acceptance_days, case.handling_days) == (3, 30)
    case = step(case, "accept", on=D(2026, 9, 2))
    assert case.state == "mediating" and case.handling_due == D(2026, 10, 2)
    case = step(case, "conclude", on=D(2026, 9, 10), agreement_reached="1", agreement_text="界址按1998年协议确定",
                comment="双方当面签字")
    assert case.state == "concluded" and case.agreement_reached is True and case.followup_due == D(2026, 10, 10)
    case = step(case, "follow_up", on=D(2026, 9, 14), comment="协议已履行，双方满意")
    assert case.state == "closed" and case.followup_on == case.closed_on == D(2026, 9, 14)
    assert list(case.events.values_list("action", flat=True)) == ["accept", "conclude", "follow_up"]
    assert case.version == 4
    assert ChangeRecord.objects.filter(object_id=case.pk).count() == 4  # creation + one per step
    assert "达成调解协议：双方当面签字" in case.events.get(action="conclude").comment


def test_a_mediation_without_agreement_and_its_refusals(zone, make_case):
    case = step(make_case(kind="mediation"), "accept")
    refused(case, "conclude", field="agreement_reached", match="请选择是否达成调解协议")
    refused(case, "conclude", field="agreement_reached", match="收到“也许”", agreement_reached="也许")
    refused(case, "conclude", field="agreement_text", match="请填写协议内容", agreement_reached="是")
    refused(case, "follow_up", match="当前状态为“调解中”，不能回访。", comment="x")
    refused(case, "request_review", field="action", match="人民调解件没有“申请复查”这一环节")
    case = step(case, "conclude", agreement_reached="0", comment="分歧较大，引导诉讼")
    assert case.agreement_reached is False and case.agreement_text == ""
    refused(case, "follow_up", field="comment", match="回访时请填写回访情况")


def test_a_petition_is_answered_reviewed_and_re_reviewed_in_order(zone, make_case):
    case = make_case()
    refused(case, "answer", match="当前状态为“待受理”，不能出具办理意见。", comment="x")
    case = step(case, "accept", on=D(2026, 9, 3))
    assert case.state == "handling" and case.handling_due == D(2026, 11, 2)
    refused(case, "request_review", match="当前状态为“办理中”，不能申请复查。")
    refused(case, "answer", field="comment", match="请填写办理意见")
    refused(case, "conclude", field="action", match="信访件没有“调解结束”这一环节")
    case = step(case, "answer", on=D(2026, 9, 10), comment="依法答复")
    refused(case, "extend", match="当前状态为“已出具办理意见”，不能延期。", approver="x", comment="y")
    case = step(case, "request_review", on=D(2026, 9, 11))
    case = step(case, "review", on=D(2026, 9, 12), comment="维持")
    case = step(case, "close", on=D(2026, 9, 13), comment="信访人未申请复核")
    assert case.state == "closed"
    refused(case, "request_rereview", match="当前状态为“已办结”，不能申请复核。")


def test_dates_out_of_order_or_in_the_future_are_refused_naming_the_date(zone, make_case):
    case = make_case(received_on=D(2026, 9, 5))
    refused(case, "accept", field="on", match=r"受理告知日期（2026-09-04）不能早于收到日期（2026-09-05）。", on="2026-09-04")
    refused(case, "accept", field="on", match="不能晚于今天", on="2026-09-16")
    refused(case, "accept", field="on", match="不是有效日期", on="9月5日")
    case = step(case, "accept", on=D(2026, 9, 10))
    # An answer dated before the acceptance: the acceptance would come after the decision.
    refused(case, "answer", field="on", match=r"办理意见日期（2026-09-08）不能早于受理告知日期（2026-09-10）。",
            on=D(2026, 9, 8), comment="x")


def test_an_extension_needs_approval_and_a_reason_comes_once_and_before_the_limit(zone, make_case, clock):
    clock.set_today(D(2026, 12, 31))
    case = step(make_case(), "accept", on=D(2026, 9, 1))  # handling due 10-31
    refused(case, "extend", field="approver", match="延期须经批准：请填写批准人。", comment="复杂")
    refused(case, "extend", field="comment", match="请填写延期理由", approver="主任")
    refused(case, "extend", field="on", match=r"办理期限（2026-10-31）已过，不能再批准延期。", approver="主任", comment="复杂",
            on=D(2026, 11, 1))
    refused(case, "extend", error=PermissionDeniedError, actor=zone["invest"], approver="主任", comment="复杂")
    case = step(case, "extend", on=D(2026, 10, 20), approver="主任", comment="涉及多部门")
    assert case.extended_due == D(2026, 11, 30)
    refused(case, "extend", field="extension", match="只能延期一次", approver="主任", comment="再延", on=D(2026, 10, 25))


def test_a_review_or_re_review_requested_after_its_window_is_refused(zone, make_case, clock):
    clock.set_today(D(2026, 12, 31))
    case = step(step(make_case(), "accept", on=D(2026, 9, 1)), "answer", on=D(2026, 9, 10), comment="答复")
    refused(case, "request_review", field="on", match="复查申请日期（2026-10-11）已超过申请期限", on=D(2026, 10, 11))
    case = step(case, "request_review", on=D(2026, 10, 10))
    case = step(case, "review", on=D(2026, 10, 20), comment="维持")
    refused(case, "request_rereview", field="on", match="复核申请日期（2026-11-20）已超过申请期限", on=D(2026, 11, 20))
    case = step(case, "request_rereview", on=D(2026, 11, 19))
    assert case.rereview_due == D(2026, 12, 19)


def test_decline_needs_a_reason_and_finishes_the_case(zone, make_case):
    case = make_case()
    refused(case, "decline", field="comment", match="不予受理时请填写理由")
    case = step(case, "decline", comment="已进入诉讼程序")
    assert case.state == "declined" and case.accepted_on == case.closed_on == D(2026, 9, 15)
    refused(case, "accept", match="当前状态为“不予受理”，不能受理。")


def test_reassignment_before_acceptance_keeps_the_acceptance_clock(zone, units, make_case):
    case = make_case()
    refused(case, "reassign", field="assigned_unit", match="承办单位“99999”不存在", assigned_unit=99999, comment="x")
    refused(case, "reassign", field="assigned_unit", match="请选择另一个单位", assigned_unit=units["invest"].pk,
            comment="x")
    case = step(case, "reassign", assigned_unit=units["village"].pk, comment="属地管理")
    assert case.assigned_unit == units["village"] and case.acceptance_due == D(2026, 9, 16)
    assert "由招商局改派至三南村：属地管理" in case.events.get().comment
    case = step(case, "accept")
    refused(case, "reassign", match="当前状态为“办理中”，不能改派。", assigned_unit=units["invest"].pk, comment="x")


def test_creation_refuses_bad_input_naming_the_field_and_writes_nothing(zone, make_case):
    for data, field, message in [
        ({"assigned_unit": 99999}, "assigned_unit", "承办单位“99999”不存在。"),
        ({"assigned_unit": ""}, "assigned_unit", "请选择承办单位。"),
        ({"kind": "lawsuit"}, "kind", "类型“lawsuit”不正确"),
        ({"title": " "}, "title", "请填写事由。"),
        ({"parties": ""}, "parties", "请填写当事人/信访人。"),
        ({"dispute_type": "war"}, "dispute_type", "纠纷类型“war”不正确。"),
        ({"received_on": "2026-09-16"}, "received_on", "收到日期（2026-09-16）不能晚于今天。"),
    ]:
        with pytest.raises(ApplicationError) as exc:
            make_case(**data)
        assert (exc.value.field, message in exc.value.message) == (field, True), exc.value.message
    assert not DisputeCase.objects.exists() and not ChangeRecord.objects.exists()
    with pytest.raises(PermissionDeniedError):
        make_case(actor=zone["invest"])


def test_raising_to_a_supervision_item_uses_its_service_once_and_keeps_the_state(zone, units, make_case):
    case = step(make_case(), "accept")
    refused(case, "raise", field="deadline", match="请填写督办办理期限")
    refused(case, "raise", error=PermissionDeniedError, actor=zone["invest"], deadline="2026-10-30")
    case = services.case_step(actor=zone["office"], case=case, action="raise", deadline="2026-10-30",
                              comment="久拖未决")
    item = SupervisionItem.objects.get()
    assert case.state == "handling" and case.supervision_item == item
    assert item.source_kind == "dispute_case" and item.lead_unit == units["invest"]
    assert item.source_url == f"/disputes/{case.pk}/" and "张三" in item.source_text
    refused(case, "raise", error=ConflictError, match="不能重复提请", deadline="2026-10-30")


def test_only_the_assigned_unit_or_the_office_handles_and_only_the_office_manages(zone, units, make_case):
    case = make_case()
    for who in ("agri", "village", "leader", "supervisor"):
        refused(case, "accept", error=PermissionDeniedError, actor=zone[who], match="您无权受理")
    case = services.case_step(actor=zone["invest"], case=case, action="accept")
    assert services.allowed_actions(zone["invest"], case) == ["answer"]
    assert set(services.allowed_actions(zone["office"], case)) == {"answer", "extend", "raise"}
    assert services.allowed_actions(zone["leader"], case) == []
    case = services.case_step(actor=zone["invest"], case=case, action="answer", comment="已答复")
    refused(case, "request_review", error=PermissionDeniedError, actor=zone["invest"])
    refused(case, "close", error=PermissionDeniedError, actor=zone["invest"])
    services.case_step(actor=zone["office"], case=case, action="close")
