"""Every write of the disputes register: rights, validation, one transaction, history.

Two lifecycles on core.workflow, one per kind, on the same case model:

人民调解 (MEDIATION_FLOW)
    待受理 --受理--> 调解中 --调解结束（达成协议与否）--> 调解结束待回访 --回访--> 已办结
信访 (PETITION_FLOW)
    待受理 --受理（告知）--> 办理中 --出具办理意见--> 已出具办理意见 --申请复查--> 复查中
        --出具复查意见--> 已出具复查意见 --申请复核--> 复核中 --出具复核意见--> 已办结
    已出具办理意见 / 已出具复查意见 --办结--> 已办结 (accepted, or no request within the window)

Both: 不予受理 (with the reason) from 待受理; 延期 once, with the approver and the reason, while
handling and before the limit passes; 改派 before acceptance (the acceptance clock runs on);
提请督办 to a 督办单 through core.handoffs (state kept). Each step is dated (`on`, default today),
never in the future nor before the step before it; the date starts or stops the clocks.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.calendar import WorkCalendar, nth_workday_after
from yuanqu.core.commonsteps import (
    check_not_raised,
    check_reassign,
    describe_raise,
    describe_reassign,
    raise_item,
    reassign,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.parsing import to_date
from yuanqu.core.services import create_record, delete_record, update_record
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.org.services import resolve_unit

from . import limits
from .models import FINISHED, Action, CaseEvent, DayType, DisputeCase, DisputeType, Kind, State, TimeLimit

# ---------------------------------------------------------------- rights


def may_manage(user, case: DisputeCase | None = None) -> bool:
    return user is None or user.can("disputes.manage")


def may_handle(user, case: DisputeCase) -> bool:
    """The assigned unit's people, and the office for any unit."""
    return user is None or user.can("disputes.manage") or user.can("disputes.handle", unit=case.assigned_unit_id)


# ---------------------------------------------------------------- days


def add_days(day_type: str, start: dt.date, days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The limit's last day: `days` after `start` (that day does not count), in calendar days or on the
    work calendar. A year the work calendar does not know fails loudly (core.calendar.CalendarMissing)."""
    if day_type == DayType.WORKING:
        return nth_workday_after(start, days, calendar=calendar)
    return start + dt.timedelta(days=days)


def limit_for(kind: str) -> TimeLimit:
    found = TimeLimit.objects.filter(kind=kind).first()
    if found is None:  # a database flushed since migrating (a transactional test's)
        limits.load(lambda app, name: TimeLimit)
        found = TimeLimit.objects.get(kind=kind)
    return found


# ---------------------------------------------------------------- cases

TEXTS = ("title", "parties", "content", "mediator", "committee")
REQUIRED = {"title": "事由", "parties": "当事人/信访人"}


def _set_case(case: DisputeCase, data: dict) -> None:
    for key in TEXTS:
        if key in data:
            setattr(case, key, (data[key] or "").strip())
    if "dispute_type" in data and data["dispute_type"] not in (None, ""):
        if data["dispute_type"] not in DisputeType.values:
            raise ApplicationError(f"纠纷类型“{data['dispute_type']}”不正确。", field="dispute_type")
        case.dispute_type = data["dispute_type"]
    for key, label in REQUIRED.items():
        if not getattr(case, key):
            raise ApplicationError(f"请填写{label}。", field=key)


@transaction.atomic
def case_create(*, actor, data: dict, is_demo: bool = False, today: dt.date | None = None) -> DisputeCase:
    """Register a mediation case or a petition; its limits are the kind's setting of the day."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有信访调解办和系统管理员可以登记调解和信访件。")
    kind = data.get("kind")
    if kind not in Kind.values:
        raise ApplicationError(f"类型“{kind or ''}”不正确，应为人民调解或信访。", field="kind")
    case = DisputeCase(kind=kind, created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
                       source_number=str(data.get("source_number") or "").strip())
    _set_case(case, data)
    unit = resolve_unit(data.get("assigned_unit"), field="assigned_unit", label="承办单位")
    if unit is None:
        raise ApplicationError("请选择承办单位。", field="assigned_unit")
    case.assigned_unit = unit
    today = today or clock.today()
    case.received_on = to_date(data.get("received_on"), "收到日期", field="received_on") or today
    if case.received_on > today:
        raise ApplicationError(f"收到日期（{case.received_on:%Y-%m-%d}）不能晚于今天。", field="received_on")
    setting = limit_for(kind)
    for key in TimeLimit.COPIED:
        setattr(case, key, getattr(setting, key))
    case.acceptance_due = add_days(case.day_type, case.received_on, case.acceptance_days)
    return create_record(actor=actor, obj=case, fields=("kind", "source_number", *DisputeCase.WRITABLE_FIELDS,
                                                         "day_type", "acceptance_due", "state"))


@transaction.atomic
def case_update(*, actor, case: DisputeCase, data: dict, expected_version=None) -> DisputeCase:
    """Edit the case's texts (事由, 当事人, 纠纷类型, 情况, 调解员 …); the unit moves by 改派, dates by steps."""
    case = DisputeCase.objects.select_for_update().get(pk=case.pk)
    if not may_manage(actor):
        raise PermissionDeniedError("只有信访调解办和系统管理员可以修改调解和信访件。")
    update_record(actor=actor, obj=case, fields=(*TEXTS, "dispute_type"), apply=lambda: _set_case(case, data),
                  expected_version=expected_version)
    return case


@transaction.atomic
def case_delete(*, actor, case: DisputeCase) -> None:
    """Remove a case registered by mistake (an import reverted); its history keeps what it was."""
    case = DisputeCase.objects.select_for_update().get(pk=case.pk)
    if not may_manage(actor):
        raise PermissionDeniedError("只有信访调解办和系统管理员可以删除调解和信访件。")
    if case.supervision_item_id:
        raise ApplicationError(f"{case.number}已提请督办，不能删除。", field="source_number")
    delete_record(actor=actor, obj=case,
                  fields=("kind", "source_number", *DisputeCase.WRITABLE_FIELDS, "state"))


# ---------------------------------------------------------------- the lifecycles

# What each dated step's date is called, and which earlier date it may not precede.
STEP_DATES = {
    Action.ACCEPT: "受理告知日期", Action.DECLINE: "不予受理告知日期", Action.CONCLUDE: "调解结束日期",
    Action.FOLLOW_UP: "回访日期", Action.EXTEND: "延期批准日期", Action.ANSWER: "办理意见日期",
    Action.REQUEST_REVIEW: "复查申请日期", Action.REVIEW: "复查意见日期", Action.REQUEST_REREVIEW: "复核申请日期",
    Action.REREVIEW: "复核意见日期", Action.CLOSE: "办结日期", Action.REASSIGN: "改派日期", Action.RAISE: "提请日期",
}
PREVIOUS = [("rereview_requested_on", "复核申请日期"), ("review_decided_on", "复查意见日期"),
            ("review_requested_on", "复查申请日期"), ("followup_on", "回访日期"), ("decided_on", "办理意见（调结）日期"),
            ("accepted_on", "受理告知日期"), ("received_on", "收到日期")]


def _dated(step: Step) -> dt.date:
    """The step's date: given (`on`) or today; not in the future, not before the last step's."""
    label = STEP_DATES[step.transition.action]
    today = step.data["today"]
    on = to_date(step.data.get("on"), label, field="on") or today
    if on > today:
        raise ApplicationError(f"{label}（{on:%Y-%m-%d}）不能晚于今天。", field="on")
    case = step.obj
    for attr, previous in PREVIOUS:
        before = getattr(case, attr)
        if before is not None:
            if on < before:
                raise ApplicationError(f"{label}（{on:%Y-%m-%d}）不能早于{previous}（{before:%Y-%m-%d}）。", field="on")
            break
    step.extra["on"] = on
    return on


def _check(extra=None):
    def check(step: Step) -> None:
        _dated(step)
        if extra:
            extra(step)
    return check


def _accept(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.accepted_on = on
    case.handling_due = add_days(case.day_type, on, case.handling_days)


def _decline(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.accepted_on = case.closed_on = on
    case.decision = step.comment


def _check_extend(step: Step) -> None:
    case = step.obj
    if case.extended_due is not None:
        raise ApplicationError(f"该件已于办理期限（{case.handling_due:%Y-%m-%d}）延期至{case.extended_due:%Y-%m-%d}，"
                               "只能延期一次。", field="extension")
    if step.extra["on"] > case.handling_due:
        raise ApplicationError(f"办理期限（{case.handling_due:%Y-%m-%d}）已过，不能再批准延期。", field="on")
    approver = (step.data.get("approver") or "").strip()
    if len(approver) > 100:
        raise ApplicationError("批准人不能超过100个字。", field="approver")
    step.extra["approver"] = approver


def _extend(step: Step) -> None:
    case = step.obj
    case.extended_on = step.extra["on"]
    case.extended_due = add_days(case.day_type, case.handling_due, case.extension_days)
    case.extension_reason = step.comment
    case.extension_approver = step.extra["approver"]


def _describe_extend(step: Step) -> str:
    case = step.obj
    return (f"经{case.extension_approver}批准延期{case.extension_days}日至{case.extended_due:%Y-%m-%d}，"
            f"理由：{step.comment}")


def _flag(raw) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    return {"1": True, "true": True, "yes": True, "是": True, "达成": True,
            "0": False, "false": False, "no": False, "否": False, "未达成": False}.get(text)


def _check_conclude(step: Step) -> None:
    reached = _flag(step.data.get("agreement_reached"))
    if reached is None:
        raise ApplicationError(f"是否达成协议应为“是”或“否”，收到“{step.data.get('agreement_reached')}”。",
                               field="agreement_reached")
    text = (step.data.get("agreement_text") or "").strip()
    if reached and not text:
        raise ApplicationError("达成调解协议时请填写协议内容。", field="agreement_text")
    step.extra["reached"], step.extra["text"] = reached, text if reached else ""


def _conclude(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.decided_on = on
    case.decision = step.comment
    case.agreement_reached = step.extra["reached"]
    case.agreement_text = step.extra["text"]
    case.followup_due = add_days(case.day_type, on, case.followup_days)


def _describe_conclude(step: Step) -> str:
    head = "达成调解协议" if step.extra["reached"] else "未达成调解协议"
    return head + (f"：{step.comment}" if step.comment else "")


def _follow_up(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.followup_on = case.closed_on = on
    case.followup_result = step.comment


def _answer(step: Step) -> None:
    case = step.obj
    case.decided_on = step.extra["on"]
    case.decision = step.comment


def _window(since_attr: str, what: str, after: str):
    """A request for 复查 (复核) within `appeal_days` of the answer (the review's answer)."""
    def check(step: Step) -> None:
        case, on = step.obj, step.extra["on"]
        since = getattr(case, since_attr)
        last = add_days(case.day_type, since, case.appeal_days)
        if on > last:
            raise ApplicationError(
                f"{what}申请日期（{on:%Y-%m-%d}）已超过申请期限：应在收到{after}（{since:%Y-%m-%d}）后"
                f"{case.appeal_days}日内、即{last:%Y-%m-%d}前提出。", field="on")
    return check


def _request_review(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.review_requested_on = on
    case.review_due = add_days(case.day_type, on, case.review_days)


def _review(step: Step) -> None:
    case = step.obj
    case.review_decided_on = step.extra["on"]
    case.review_result = step.comment


def _request_rereview(step: Step) -> None:
    case, on = step.obj, step.extra["on"]
    case.rereview_requested_on = on
    case.rereview_due = add_days(case.day_type, on, case.rereview_days)


def _rereview(step: Step) -> None:
    case = step.obj
    case.rereview_decided_on = case.closed_on = step.extra["on"]
    case.rereview_result = step.comment


def _close(step: Step) -> None:
    step.obj.closed_on = step.extra["on"]


def _raise(step: Step) -> None:
    case = step.obj
    raise_item(step, title=f"督促办理{case.get_kind_display()}件：{case.title[:60]}",
               source_text=f"{case.get_kind_display()}件{case.number}（{case.parties[:100]}，"
                           f"{case.received_on:%Y年%m月%d日}收到，承办单位：{case.assigned_unit.name}）：{case.title}",
               lead_unit=case.assigned_unit_id, deadline=step.data.get("deadline"), day_type=case.day_type,
               source_kind="dispute_case", url="disputes:case", today=step.data["today"])


def _t(action, sources, target, may, *, requires=(), check=None, apply=None, describe=None, fields=()):
    return Transition(action, Action(action).label, tuple(sources), target, may, requires=tuple(requires),
                      check=_check(check), apply=apply, describe=describe, fields=tuple(fields))


REASON = Requirement("comment", "不予受理时请填写理由。")
EXTEND_NEEDS = (Requirement("approver", "延期须经批准：请填写批准人。"),
                Requirement("comment", "延期时请填写延期理由（将告知当事人）。"))
REASSIGN_NEEDS = (Requirement("assigned_unit", "改派时请选择新的承办单位。"), Requirement("comment", "改派时请填写改派理由。"))
RAISE_NEEDS = (Requirement("deadline", "提请督办时请填写督办办理期限。"),)
EXTEND_FIELDS = ("extended_on", "extended_due", "extension_reason", "extension_approver")


def _common(open_states, handling_state):
    return [
        _t(Action.DECLINE, (State.REGISTERED,), State.DECLINED, may_handle, requires=(REASON,), apply=_decline,
           fields=("accepted_on", "closed_on", "decision")),
        _t(Action.EXTEND, (handling_state,), None, may_manage, requires=EXTEND_NEEDS, check=_check_extend,
           apply=_extend, describe=_describe_extend, fields=EXTEND_FIELDS),
        _t(Action.REASSIGN, (State.REGISTERED,), None, may_manage, requires=REASSIGN_NEEDS,
           check=partial(check_reassign, held="该件"), apply=reassign, describe=describe_reassign,
           fields=("assigned_unit",)),
        _t(Action.RAISE, open_states, None, may_manage, requires=RAISE_NEEDS,
           check=partial(check_not_raised, noun="件"), apply=_raise, describe=describe_raise, fields=("supervision_item",)),
    ]


def _flow(transitions) -> Workflow:
    return Workflow(
        model=DisputeCase, event_model=CaseEvent, event_fk="case", name=lambda c: c.number,
        lock=lambda pk: DisputeCase.objects.select_for_update(of=("self",)).select_related("assigned_unit").get(pk=pk),
        transitions=transitions,
    )


MEDIATION_OPEN = (State.REGISTERED, State.MEDIATING, State.CONCLUDED)
MEDIATION_FLOW = _flow([
    _t(Action.ACCEPT, (State.REGISTERED,), State.MEDIATING, may_handle, apply=_accept,
       fields=("accepted_on", "handling_due")),
    _t(Action.CONCLUDE, (State.MEDIATING,), State.CONCLUDED, may_handle,
       requires=(Requirement("agreement_reached", "请选择是否达成调解协议。"),), check=_check_conclude,
       apply=_conclude, describe=_describe_conclude,
       fields=("decided_on", "decision", "agreement_reached", "agreement_text", "followup_due")),
    _t(Action.FOLLOW_UP, (State.CONCLUDED,), State.CLOSED, may_handle,
       requires=(Requirement("comment", "回访时请填写回访情况。"),), apply=_follow_up,
       fields=("followup_on", "followup_result", "closed_on")),
    *_common(MEDIATION_OPEN, State.MEDIATING),
])

PETITION_OPEN = (State.REGISTERED, State.HANDLING, State.ANSWERED, State.REVIEWING, State.REVIEWED, State.REREVIEWING)
PETITION_FLOW = _flow([
    _t(Action.ACCEPT, (State.REGISTERED,), State.HANDLING, may_handle, apply=_accept,
       fields=("accepted_on", "handling_due")),
    _t(Action.ANSWER, (State.HANDLING,), State.ANSWERED, may_handle,
       requires=(Requirement("comment", "请填写办理意见。"),), apply=_answer, fields=("decided_on", "decision")),
    _t(Action.REQUEST_REVIEW, (State.ANSWERED,), State.REVIEWING, may_manage,
       check=_window("decided_on", "复查", "办理意见"), apply=_request_review,
       fields=("review_requested_on", "review_due")),
    _t(Action.REVIEW, (State.REVIEWING,), State.REVIEWED, may_manage,
       requires=(Requirement("comment", "请填写复查意见。"),), apply=_review,
       fields=("review_decided_on", "review_result")),
    _t(Action.REQUEST_REREVIEW, (State.REVIEWED,), State.REREVIEWING, may_manage,
       check=_window("review_decided_on", "复核", "复查意见"), apply=_request_rereview,
       fields=("rereview_requested_on", "rereview_due")),
    _t(Action.REREVIEW, (State.REREVIEWING,), State.CLOSED, may_manage,
       requires=(Requirement("comment", "请填写复核意见。"),), apply=_rereview,
       fields=("rereview_decided_on", "rereview_result", "closed_on")),
    _t(Action.CLOSE, (State.ANSWERED, State.REVIEWED), State.CLOSED, may_manage, apply=_close, fields=("closed_on",)),
    *_common(PETITION_OPEN, State.HANDLING),
])

FLOWS = {Kind.MEDIATION: MEDIATION_FLOW, Kind.PETITION: PETITION_FLOW}
ACTIONS = tuple(dict.fromkeys(t.action for flow in FLOWS.values() for t in flow))
OPEN = tuple(s for s in State.values if s not in FINISHED)


def flow_for(case: DisputeCase) -> Workflow:
    return FLOWS[case.kind]


def allowed_actions(user, case: DisputeCase) -> list[str]:
    return [t.action for t in flow_for(case).available(user, case)]


def case_step(*, actor, case: DisputeCase | int, action: str, expected_version=None, today: dt.date | None = None,
              **data) -> DisputeCase:
    """Take one lifecycle step; a refusal raises and writes nothing. `today` is the day it is done
    (the demo's history); a step dated `on` another day has its event timed at noon that day."""
    if not isinstance(case, DisputeCase):
        case = DisputeCase.objects.filter(pk=case).first()
        if case is None:
            raise ApplicationError("调解信访件不存在。", field="case")
    flow = flow_for(case)
    if action not in flow:
        known = action in ACTIONS
        raise ApplicationError(f"{case.get_kind_display()}件没有“{Action(action).label}”这一环节。" if known
                               else f"未知的操作“{action}”。", field="action")
    today = today or clock.today()
    on = to_date(data.get("on"), STEP_DATES[action], field="on") or today
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(12))) if on != clock.today() else None
    step = flow.transition(case, action, actor=actor, expected_version=expected_version, at=at, today=today, **data)
    return step.obj


# ---------------------------------------------------------------- the work calendar changed

# Each stored due date and the date its clock starts from, with the limit it counts.
DUE_FROM = [("acceptance_due", "received_on", "acceptance_days"), ("handling_due", "accepted_on", "handling_days"),
            ("extended_due", "handling_due", "extension_days"), ("followup_due", "decided_on", "followup_days"),
            ("review_due", "review_requested_on", "review_days"),
            ("rereview_due", "rereview_requested_on", "rereview_days")]


def recompute_due_from(first_day: dt.date) -> int:
    """The work calendar changed from `first_day` on: working-day due dates counted across it are
    counted again on one calendar read. Only derived columns change (no history); returns how many
    cases moved."""
    from django.db.models import Q

    reach = Q()
    for due, _start, _days in DUE_FROM:
        reach |= Q(**{f"{due}__gte": first_day})
    with transaction.atomic():
        rows = list(DisputeCase.objects.select_for_update().filter(reach, day_type=DayType.WORKING)
                    .only("pk", "day_type", *{name for triple in DUE_FROM for name in triple}))
        if not rows:
            return 0
        start = min(r.received_on for r in rows)
        last = max(getattr(r, due) for r in rows for due, _s, _d in DUE_FROM if getattr(r, due))
        calendar = WorkCalendar(start, last + dt.timedelta(days=120))
        moved = []
        for row in rows:
            changed = False
            for due, since, days in DUE_FROM:
                if getattr(row, due) is None or getattr(row, since) is None:
                    continue
                new = add_days(DayType.WORKING, getattr(row, since), getattr(row, days), calendar)
                if new != getattr(row, due):
                    setattr(row, due, new)
                    changed = True
            if changed:
                moved.append(row)
        DisputeCase.objects.bulk_update(moved, [d for d, _s, _n in DUE_FROM], batch_size=500)
    return len(moved)


# ---------------------------------------------------------------- time limits (the admin site)


def _set_limit(limit: TimeLimit, data: dict) -> None:
    for key in TimeLimit.WRITABLE_FIELDS:
        if key in data:
            setattr(limit, key, data[key])
    if limit.day_type not in DayType.values:
        raise ApplicationError(f"天数计算方式“{limit.day_type}”不正确，应为自然日或工作日。", field="day_type")


@transaction.atomic
def limit_save(*, actor, limit: TimeLimit, data: dict, expected_version=None) -> TimeLimit:
    """Edit a kind's limits. They apply to cases registered from then on: the due dates already
    given stay (each case keeps the limits it was registered with)."""
    if actor is not None and not actor.can("disputes.manage"):
        raise PermissionDeniedError("只有信访调解办和系统管理员可以修改办理时限。")
    limit = TimeLimit.objects.select_for_update().get(pk=limit.pk)
    update_record(actor=actor, obj=limit, fields=TimeLimit.WRITABLE_FIELDS, apply=lambda: _set_limit(limit, data),
                  expected_version=expected_version)
    return limit


