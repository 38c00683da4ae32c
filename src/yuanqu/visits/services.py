"""Every write of the visits register: rights, validation, one transaction, history.

A request's lifecycle is a transition table on core.workflow (REQUEST_FLOW):

    待受理 --受理--> 已受理 --办理--> 办理中 --答复--> 已答复 --企业评价--> 已评价 --办结--> 已办结

退回 sends it back one step to whoever acted before (a reply back to the handling unit, an
evaluation back to be evaluated again), with a reason; 改派 moves it to another unit, which must
accept it again, and keeps the due date (the enterprise's clock does not restart). 提请督办 raises
it to a 督办单 through the supervision app's offered service (core.handoffs) and keeps its state.
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
    check_satisfaction,
    describe_evaluation,
    describe_raise,
    describe_reassign,
    raise_item,
    reassign,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import history_for_many
from yuanqu.core.ids import pick
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import to_date
from yuanqu.core.services import create_record, delete_record, save_record, update_record
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.services import resolve_unit

from .models import UNANSWERED, Action, EnterpriseRequest, RequestCategory, RequestEvent, State, Visit

# ---------------------------------------------------------------- rights


def may_record(user) -> bool:
    return user is None or user.can("visits.record")


def may_manage(user, request: EnterpriseRequest | None = None) -> bool:
    return user is None or user.can("visits.manage")


def may_handle(user, request: EnterpriseRequest) -> bool:
    return user is None or user.can("visits.handle", unit=request.assigned_unit_id)


def may_evaluate(user, request: EnterpriseRequest) -> bool:
    """The enterprise's satisfaction is recorded for it by the cadre who raised the request or the 经发局."""
    return may_manage(user) or (getattr(user, "pk", None) is not None and request.created_by_id == user.pk)


def may_edit_visit(user, visit: Visit) -> bool:
    return user is None or user.can("visits.manage") or (
        user.can("visits.record") and visit.recorded_by_id == user.pk)


# ---------------------------------------------------------------- input



def due_date(received_on: dt.date, days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The time limit in working days after the day it was received (that day does not count)."""
    return nth_workday_after(received_on, days, calendar=calendar)


# ---------------------------------------------------------------- visits


def _set_visit(actor, visit: Visit, data: dict, today: dt.date) -> None:
    if "enterprise" in data:
        visit.enterprise = pick(Enterprise.objects.all(), data["enterprise"], field="enterprise", label="企业")
    if "unit" in data:
        visit.unit = resolve_unit(data["unit"], field="unit", label="走访单位")
    if "visited_on" in data:
        visit.visited_on = to_date(data["visited_on"], "走访日期", field="visited_on")
    for key in ("visitors", "findings"):
        if key in data:
            setattr(visit, key, (data[key] or "").strip())
    if visit.enterprise_id is None:
        raise ApplicationError("请选择企业。", field="enterprise")
    if visit.visited_on is None:
        raise ApplicationError("请填写走访日期。", field="visited_on")
    if visit.visited_on > today:
        raise ApplicationError(f"走访日期（{visit.visited_on:%Y-%m-%d}）不能晚于今天。", field="visited_on")
    if not visit.visitors:
        raise ApplicationError("请填写走访领导/干部。", field="visitors")
    if visit.unit_id is None:
        raise ApplicationError("请选择走访单位。", field="unit")


@transaction.atomic
def visit_create(*, actor, data: dict, is_demo: bool = False, today: dt.date | None = None) -> Visit:
    if not may_record(actor):
        raise PermissionDeniedError("只有走帮服干部和经发局可以登记走访。")
    visit = Visit(recorded_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    data = dict(data)
    if not data.get("unit") and getattr(actor, "unit_id", None):
        data["unit"] = actor.unit_id  # the cadre's own unit
    _set_visit(actor, visit, data, today or clock.today())
    return create_record(actor=actor, obj=visit)


@transaction.atomic
def visit_update(*, actor, visit: Visit, data: dict, expected_version=None) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not may_edit_visit(actor, visit):
        raise PermissionDeniedError("只能修改本人登记的走访记录。")
    update_record(actor=actor, obj=visit, fields=Visit.WRITABLE_FIELDS, apply=lambda: _set_visit(actor, visit, data, clock.today()),
                  expected_version=expected_version)
    return visit


@transaction.atomic
def visit_withdraw(*, actor, visit: Visit) -> None:
    """Undo a visit (an import's revert) with the requests raised on it, each with a change record;
    refused once one of them is being handled."""
    if not may_manage(actor):
        raise PermissionDeniedError("只有经发局和系统管理员可以撤销走访记录。")
    visit = Visit.objects.select_for_update().select_related("enterprise").get(pk=visit.pk)
    requests = list(visit.requests.all())
    if any(r.state != State.SUBMITTED for r in requests):
        raise ApplicationError(f"{visit.enterprise.name}{visit.visited_on:%Y-%m-%d}的走访中已有诉求在办理，不能撤销。")
    # A request raised on the page after the visit was recorded is someone's later work, not the
    # visit's own: withdrawing the visit must not take it along.
    made_in = {(c.object_id, c.content_type.model): c.batch for c in history_for_many([visit, *requests])
               if c.action == ChangeRecord.Action.CREATE}
    if any(made_in.get((r.pk, "enterpriserequest")) != made_in.get((visit.pk, "visit")) for r in requests):
        raise ApplicationError(f"{visit.enterprise.name}{visit.visited_on:%Y-%m-%d}的走访之后又登记了诉求，不能撤销；"
                               "请先撤回或办理该诉求。")
    for obj, fields in [*((r, (*EnterpriseRequest.WRITABLE_FIELDS, "state")) for r in requests),
                        (visit, Visit.WRITABLE_FIELDS)]:
        delete_record(actor=actor, obj=obj, fields=fields)


# ---------------------------------------------------------------- requests


@transaction.atomic
def request_create(*, actor, data: dict, is_demo: bool = False, today: dt.date | None = None) -> EnterpriseRequest:
    """A request raised on a visit (its enterprise is the visit's) or by the enterprise directly."""
    if not may_record(actor):
        raise PermissionDeniedError("只有走帮服干部和经发局可以登记企业诉求。")
    request = EnterpriseRequest(created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    visit = pick(Visit.objects.all(), data.get("visit"), field="visit", label="走访")
    if visit is not None and actor is not None and not may_edit_visit(actor, visit):
        raise PermissionDeniedError("只能在本人登记的走访中提出诉求。")
    request.visit = visit
    enterprise = pick(Enterprise.objects.all(), data.get("enterprise"), field="enterprise", label="企业")
    if visit is not None and enterprise is not None and enterprise.pk != visit.enterprise_id:
        raise ApplicationError("诉求的企业应与所在走访的企业一致。", field="enterprise")
    enterprise = enterprise or (visit.enterprise if visit else None)
    if enterprise is None:
        raise ApplicationError("请选择企业。", field="enterprise")
    request.enterprise = enterprise
    category = pick(RequestCategory.objects.filter(is_active=True), data.get("category"),
                     field="category", label="诉求类别")
    if category is None:
        raise ApplicationError("请选择诉求类别。", field="category")
    request.category = category
    request.text = (data.get("text") or "").strip()
    if not request.text:
        raise ApplicationError("请填写诉求内容。", field="text")
    unit = resolve_unit(data.get("assigned_unit"), field="assigned_unit", label="承办单位")
    if unit is None:
        raise ApplicationError("请选择承办单位。", field="assigned_unit")
    request.assigned_unit = unit
    received = to_date(data.get("received_on"), "受理日期", field="received_on") or (visit.visited_on if visit else None)
    today = today or clock.today()
    request.received_on = received or today
    if request.received_on > today:
        raise ApplicationError(f"受理日期（{request.received_on:%Y-%m-%d}）不能晚于今天。", field="received_on")
    request.time_limit_days = category.time_limit_days
    request.due_on = due_date(request.received_on, request.time_limit_days)
    return create_record(actor=actor, obj=request,
                         fields=(*EnterpriseRequest.WRITABLE_FIELDS, "due_on", "state"))


# ---------------------------------------------------------------- the lifecycle

# 退回 goes one step back, to whoever acted before.
BACK = {State.REPLIED: State.HANDLING, State.EVALUATED: State.REPLIED}


def _reply(step: Step) -> None:
    step.obj.reply = step.comment
    step.obj.replied_on = step.data["today"]


def _evaluate(step: Step) -> None:
    step.obj.satisfaction = step.extra["satisfaction"]
    step.obj.satisfaction_comment = step.comment


def _close(step: Step) -> None:
    step.obj.closed_on = step.data["today"]


def _return(step: Step) -> None:
    request = step.obj
    request.state = BACK[step.from_state]
    request.return_count += 1
    if request.state == State.HANDLING:  # the reply is refused: the unit answers again
        request.replied_on = None
    else:
        request.satisfaction = None


def _describe_return(step: Step) -> str:
    to = "承办单位" if BACK[step.from_state] == State.HANDLING else "重新评价"
    return f"退回{to}（{step.obj.assigned_unit}）：{step.comment}" if to == "承办单位" else f"退回{to}：{step.comment}"


def _raise(step: Step) -> None:
    request = step.obj
    raise_item(step, title=f"协调解决{request.enterprise.name[:60]}{request.category.name}诉求",
               source_text=f"走帮服企业诉求（{request.enterprise.name}，{request.category.name}，"
                           f"{request.received_on:%Y年%m月%d日}提出，承办单位：{request.assigned_unit.name}）："
                           f"{request.text}",
               lead_unit=request.assigned_unit_id, deadline=step.data.get("deadline"),
               source_kind="enterprise_request", url="visits:request", today=step.data["today"])


OPEN = (State.SUBMITTED, State.ACCEPTED, State.HANDLING, State.REPLIED, State.EVALUATED)

REQUEST_FLOW = Workflow(
    model=EnterpriseRequest,
    event_model=RequestEvent,
    event_fk="request",
    name=lambda r: f"诉求{r.pk}",
    lock=lambda pk: EnterpriseRequest.objects.select_for_update(of=("self",))
    .select_related("assigned_unit", "enterprise", "category").get(pk=pk),
    event_states=lambda step: (step.from_state, step.obj.state),
    transitions=[
        Transition(Action.ACCEPT, Action.ACCEPT.label, (State.SUBMITTED,), State.ACCEPTED, may_handle),
        Transition(Action.HANDLE, Action.HANDLE.label, (State.ACCEPTED,), State.HANDLING, may_handle),
        Transition(Action.REPLY, Action.REPLY.label, (State.HANDLING,), State.REPLIED, may_handle,
                   requires=(Requirement("comment", "答复时请填写答复内容。"),), apply=_reply,
                   fields=("reply", "replied_on")),
        Transition(Action.EVALUATE, Action.EVALUATE.label, (State.REPLIED,), State.EVALUATED, may_evaluate,
                   requires=(Requirement("satisfaction", "请填写企业满意度（1–5 分）。"),), check=check_satisfaction,
                   apply=_evaluate, describe=describe_evaluation, fields=("satisfaction", "satisfaction_comment")),
        Transition(Action.CLOSE, Action.CLOSE.label, (State.EVALUATED,), State.CLOSED, may_manage, apply=_close, fields=("closed_on",)),
        Transition(Action.RETURN, Action.RETURN.label, tuple(BACK), None, may_evaluate,
                   requires=(Requirement("comment", "退回时请填写退回理由。"),), apply=_return,
                   describe=_describe_return, fields=("return_count", "replied_on", "satisfaction")),
        Transition(Action.REASSIGN, Action.REASSIGN.label, UNANSWERED, State.SUBMITTED, may_manage,
                   requires=(Requirement("assigned_unit", "改派时请选择新的承办单位。"),
                             Requirement("comment", "改派时请填写改派理由。")),
                   check=partial(check_reassign, held="诉求"), apply=reassign, describe=describe_reassign,
                   fields=("assigned_unit",)),
        Transition(Action.RAISE, Action.RAISE.label, OPEN, None, may_manage,
                   requires=(Requirement("deadline", "提请督办时请填写督办办理期限。"),), check=partial(check_not_raised, noun="诉求"),
                   apply=_raise, describe=describe_raise, fields=("supervision_item",)),
    ],
)

ACTIONS = tuple(t.action for t in REQUEST_FLOW)


def allowed_actions(user, request: EnterpriseRequest) -> list[str]:
    return [t.action for t in REQUEST_FLOW.available(user, request)]


def request_step(*, actor, request: EnterpriseRequest | int, action: str, expected_version=None,
                 today: dt.date | None = None, **data) -> EnterpriseRequest:
    """Take one lifecycle step; a refusal raises and writes nothing. `today` dates a step taken
    on another day (the demo's history); its event is timed at noon that day."""
    if action not in REQUEST_FLOW:
        raise ApplicationError(f"未知的操作“{action}”。", field="action")
    at = None
    if today is not None and today != clock.today():
        at = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    step = REQUEST_FLOW.transition(request, action, actor=actor, expected_version=expected_version, at=at,
                                   today=today or clock.today(), **data)
    return step.obj


def recompute_due_from(first_day: dt.date) -> int:
    """The work calendar changed from `first_day` on (core.calendar.calendar_changed): the due dates
    counted across that day are counted again, on one calendar read. Only the derived column
    changes, so no history is written; returns how many requests moved."""
    with transaction.atomic():
        rows = list(EnterpriseRequest.objects.select_for_update().filter(due_on__gte=first_day)
                    .only("pk", "received_on", "time_limit_days", "due_on"))
        if not rows:
            return 0
        start = min(r.received_on for r in rows)
        calendar = WorkCalendar(start, max(r.due_on for r in rows) + dt.timedelta(days=60))
        moved = []
        for row in rows:
            due = due_date(row.received_on, row.time_limit_days, calendar)
            if due != row.due_on:
                row.due_on = due
                moved.append(row)
        EnterpriseRequest.objects.bulk_update(moved, ["due_on"], batch_size=500)
    return len(moved)


# ---------------------------------------------------------------- categories (the admin site)


def _set_category(category: RequestCategory, data: dict) -> None:
    for key in RequestCategory.WRITABLE_FIELDS:
        if key in data:
            setattr(category, key, data[key].strip() if isinstance(data[key], str) else data[key])


@transaction.atomic
def category_save(*, actor, category: RequestCategory | None, data: dict) -> RequestCategory:
    """Create or edit a category. A changed time limit applies to requests received from then on:
    the due dates already given are the enterprises' promises and stay."""
    if actor is not None and not actor.can("visits.manage"):
        raise PermissionDeniedError("只有经发局和系统管理员可以维护诉求类别。")
    return save_record(actor=actor, obj=category, model=RequestCategory, apply=lambda c: _set_category(c, data))
