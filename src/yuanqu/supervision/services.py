"""Every write on 督办单 goes through here: rights, the state machine, the event log, notices.

The lifecycle (domain.md §2.3) is the transition table ITEM_FLOW below, run by the one workflow
engine (core.workflow):

    立项 ──交办──▶ 已交办 ──签收办理──▶ 办理中 ──反馈──▶ 反馈待审 ──办结──▶ 已办结
                                         ▲                 │
                                         └──────退回────────┘
    催办 and 申请延期 keep the state; they are allowed while the lead unit has the work in hand.

An extension request is an approval with its own small table, EXTENSION_FLOW (待审批 → 已同意 /
不同意); asking for one is a transition of the item. Every transition locks the row, checks the
version, the state, who may and what is required, then writes the item, one SupervisionEvent and
one ChangeRecord in one transaction; a refused action raises ApplicationError with a Chinese
message and writes nothing.

Who may is two small predicates, `may_supervise` (督查室 and administrators: create, assign, urge,
return, close, decide extensions) and `may_handle` (the lead unit's reporters, their unit or a unit
above it: sign for, feed back, ask for extensions).

`today` defaults to the local date; commands and the demo pass another day to backdate.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock, handoffs
from yuanqu.core.attachments import check_attachments
from yuanqu.core.calendar import CalendarMissing, add_workdays
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.notifications import notify_once
from yuanqu.core.parsing import to_date
from yuanqu.core.services import check_version, create_record, soft_delete, update_record, validate
from yuanqu.core.text import shorten
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.org.models import OrgUnit
from yuanqu.org.services import resolve_unit
from yuanqu.plans.models import Target

from . import selectors
from .models import (
    STATE_ORDER,
    WORKING_STATES,
    ExtensionRequest,
    Instruction,
    State,
    SupervisionAttachment,
    SupervisionEvent,
    SupervisionItem,
)

Action = SupervisionEvent.Action
Kind = SupervisionItem.SourceKind
DayType = SupervisionItem.DayType
Status = ExtensionRequest.Status

ITEM_FIELDS = SupervisionItem.WRITABLE_FIELDS
# Once an item has been handed over, its deadline and lead unit change only by extension or not at all.
FROZEN_AFTER_ASSIGN = {"lead_unit", "deadline", "day_type", "time_limit"}


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _moment(today: dt.date | None):
    """When the event happened: now, or the same clock time on a backdated day."""
    now = timezone.now()
    if today is None or today == clock.today():
        return now
    return timezone.make_aware(dt.datetime.combine(today, timezone.localtime(now).time()))


def is_lead(user, item: SupervisionItem) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.can("supervision.handle_item", unit=item.lead_unit_id)
    )


# Who may, by named ability (supervision/abilities.py). `None` is the system itself (demo, commands).


def may_supervise(user, item: SupervisionItem) -> bool:
    return user is None or user.can("supervision.issue_item")


def may_handle(user, item: SupervisionItem) -> bool:
    return user is None or is_lead(user, item)


def _require_supervisor(user, item: SupervisionItem, verb: str) -> None:
    if not may_supervise(user, item):
        raise PermissionDeniedError(f"只有督查室可以{verb}督办单。")


def _denial(item: SupervisionItem, rule: Transition) -> str:
    if rule.may is may_supervise:
        return f"只有督查室可以{rule.label}督办单。"
    return f"只有牵头单位“{item.lead_unit}”可以{rule.label}。"


def _refusal(item: SupervisionItem, rule: Transition) -> str:
    """"不能再…" once closed, "不能直接…" before the step's place in the flow, else "不能…"."""
    state, label = item.state, State(item.state).label
    if state == State.CLOSED:
        return f"当前状态为“{label}”，不能再{rule.label}。"
    if STATE_ORDER.index(state) < min(STATE_ORDER.index(s) for s in rule.sources):
        return f"当前状态为“{label}”，不能直接{rule.label}。"
    return f"当前状态为“{label}”，不能{rule.label}。"


def _lock(item: SupervisionItem | int) -> SupervisionItem:
    pk = item.pk if isinstance(item, SupervisionItem) else item
    # Lock the item's row only: the lead unit is read, not changed (PostgreSQL would lock it too).
    locked = SupervisionItem.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
    if locked.deleted_at:
        raise ApplicationError(f"督办单“{locked.number}”已删除。")
    return locked


MAX_TIME_LIMIT = SupervisionItem.MAX_TIME_LIMIT


def compute_deadline(start: dt.date, days: int, day_type: str) -> dt.date:
    """The last day of a time limit counted from the day after `start` (民法典 Art. 201).

    Working days come from the work calendar (core.calendar); for a year it does not know, a
    person must enter that year's calendar or type the date rather than get a wrong one.
    """
    if days < 1:
        raise ApplicationError("办理时限应为正整数（天）。", field="time_limit")
    if days > MAX_TIME_LIMIT:
        raise ApplicationError(f"办理时限最长 {MAX_TIME_LIMIT} 天（十年），收到 {days} 天；更长的事项请直接填写办理期限。",
                               field="time_limit")
    if day_type == DayType.CALENDAR:
        return start + dt.timedelta(days=days)
    try:
        return add_workdays(start, days)
    except CalendarMissing as exc:
        raise ApplicationError(f"{exc.message}也可直接填写办理期限。", field="time_limit") from None



def _target(actor, value) -> Target | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Target) else value
    qs = Target.objects.visible_to(actor) if actor is not None else Target.objects.alive()
    try:
        return qs.get(pk=int(pk))
    except (Target.DoesNotExist, TypeError, ValueError):
        raise ApplicationError(f"目标“{value}”不存在或您无权查看。", field="target") from None


def _url(item: SupervisionItem) -> str:
    return reverse("supervision:detail", kwargs={"pk": item.pk})


def _log(item: SupervisionItem, action: str, actor, *, from_state: str = "", to_state: str = "",
         comment: str = "", today: dt.date | None = None) -> SupervisionEvent:
    return SupervisionEvent.objects.create(
        item=item, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None, comment=comment, time=_moment(today),
    )


def notify_lead_unit(item: SupervisionItem, *, key: str, kind: str, title: str, body: str = "") -> int:
    """Tell the lead unit's reporters; returns how many notices were new."""
    recipients = selectors.unit_reporters([item.lead_unit_id]).get(item.lead_unit_id, [])
    return sum(
        notify_once(recipient=u, key=key, kind=kind, title=title, body=body, url=_url(item)) is not None
        for u in recipients
    )


def notify_supervisors(item: SupervisionItem, *, key: str, kind: str, title: str, body: str = "") -> int:
    return sum(
        notify_once(recipient=u, key=key, kind=kind, title=title, body=body, url=_url(item)) is not None
        for u in selectors.supervisors()
    )


# ---------------------------------------------------------------- create, edit, delete


def _apply(item: SupervisionItem, actor, data: dict, *, today: dt.date) -> list[OrgUnit] | None:
    """Copy the known keys of `data` onto the item, checking each; returns assisting units if given."""
    if "title" in data:
        item.title = (data["title"] or "").strip()
    if "source_kind" in data:
        item.source_kind = data["source_kind"] or Kind.TARGET
    if "target" in data:
        item.target = _target(actor, data["target"])
    if "source_text" in data:
        item.source_text = (data["source_text"] or "").strip()
    if "issuing_unit" in data:
        item.issuing_unit = resolve_unit(data["issuing_unit"], field="issuing_unit", label="交办单位")
    if "lead_unit" in data:
        item.lead_unit = resolve_unit(data["lead_unit"], field="lead_unit", label="牵头单位")
    if "requirement" in data:
        item.requirement = (data["requirement"] or "").strip()
    if "day_type" in data:
        item.day_type = data["day_type"] or DayType.CALENDAR
    if "time_limit" in data or "deadline" in data:
        raw_limit = data.get("time_limit")
        if raw_limit not in (None, ""):
            try:
                item.time_limit = int(raw_limit)
            except (TypeError, ValueError):
                raise ApplicationError(f"办理时限应为天数，收到“{raw_limit}”。", field="time_limit") from None
            item.deadline = compute_deadline(today, item.time_limit, item.day_type)
        else:
            item.time_limit = None
            item.deadline = to_date(data.get("deadline"), "办理期限", field="deadline")

    if not item.title:
        raise ApplicationError("请填写督办事项。", field="title")
    if item.source_kind not in Kind.values:
        raise ApplicationError(f"来源“{item.source_kind}”不正确。", field="source_kind")
    if item.source_kind == Kind.TARGET and item.target_id is None:
        raise ApplicationError("来源为目标任务时，请选择关联目标。", field="target")
    if item.source_kind != Kind.TARGET and not item.source_text:
        raise ApplicationError(f"请填写{Kind(item.source_kind).label}的内容。", field="source_text")
    if item.lead_unit_id is None:
        raise ApplicationError("请选择牵头单位。", field="lead_unit")
    if item.day_type not in DayType.values:
        raise ApplicationError(f"期限计算方式“{item.day_type}”不正确。", field="day_type")
    if item.deadline is None:
        raise ApplicationError("请填写办理期限或办理时限。", field="deadline")
    if item.deadline < today:
        raise ApplicationError(f"办理期限（{item.deadline:%Y-%m-%d}）不能早于今天。", field="deadline")

    units = data.get("assisting_units")
    if units is not None:
        units = [resolve_unit(u, field="assisting_units", label="协办单位") for u in units]
        if any(u.pk == item.lead_unit_id for u in units):
            raise ApplicationError("协办单位不能包含牵头单位。", field="assisting_units")
    return units


# A title made from a target quotes its first clauses, cut where a reader pauses (core.text.shorten).
TITLE_HEAD = 40


def title_from_target(target: Target) -> str:
    return f"关于推进“{shorten(target.title, TITLE_HEAD)}”的督办"


def _next_seq(year: int) -> int:
    return (SupervisionItem.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0) + 1


def format_number(year: int, seq: int) -> str:
    return f"督办〔{year}〕第{seq}号"


@transaction.atomic
def item_create(*, actor, data: dict, today: dt.date | None = None, is_demo: bool = False) -> SupervisionItem:
    """立项: register a matter and give it the year's next number (督办〔2026〕第12号)."""
    if not may_supervise(actor, None):
        raise PermissionDeniedError("只有督查室可以登记督办事项。")
    today = _today(today)
    item = SupervisionItem(created_by=actor if actor is not None else None, is_demo=is_demo, year=today.year)
    data = dict(data)
    if not data.get("issuing_unit") and actor is not None:
        data["issuing_unit"] = actor.unit  # the 督查室's own unit
    return _register(item, actor, data, today)


def _register(item: SupervisionItem, actor, data: dict, today: dt.date) -> SupervisionItem:
    units = _apply(item, actor, data, today=today)
    # The number is the year's max + 1; a concurrent insert trips the unique constraint and we retry.
    for _attempt in range(5):
        item.seq = _next_seq(item.year)
        item.number = format_number(item.year, item.seq)
        # Uniqueness of the number is settled by the insert (the retry loop), not by a racy check.
        validate(item, exclude=["assisting_units", "number"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                item.save()
            break
        except IntegrityError:
            item.pk = None
            continue
    else:
        raise ConflictError("督办编号分配冲突，请重试。")
    if units:
        item.assisting_units.set(units)
    _log(item, Action.CREATE, actor, to_state=State.REGISTERED, comment=item.source_text[:500], today=today)
    record_change(actor=actor, obj=item, action=ChangeRecord.Action.CREATE, after=snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def item_update(*, actor, item: SupervisionItem, data: dict, expected_version=None,
                today: dt.date | None = None) -> SupervisionItem:
    """Correct an item. After 交办, deadline and lead unit change only through extensions."""
    today = _today(today)
    item = _lock(item)
    _require_supervisor(actor, item, "修改")
    check_version(item, expected_version, name=f"督办单{item.number}", verb="处理")
    if item.state == State.CLOSED:
        raise ApplicationError("当前状态为“已办结”，不能再修改。")
    data = {k: v for k, v in data.items() if k in ITEM_FIELDS}
    if item.state != State.REGISTERED:
        for key in FROZEN_AFTER_ASSIGN & data.keys():
            current = getattr(item, f"{key}_id" if key == "lead_unit" else key)
            new = data[key]
            if key == "lead_unit":
                new = getattr(new, "pk", new)
                new = int(new) if new not in (None, "") else None
            elif key == "deadline":
                new = to_date(new, "办理期限", field="deadline")
            elif key == "time_limit":
                new = int(new) if new not in (None, "") else None
            if new != current:
                raise ApplicationError(
                    f"督办单已交办，不能直接修改{SupervisionItem._meta.get_field(key).verbose_name}，"
                    "办理期限的变更请通过延期申请。", field=key,
                )
            data.pop(key)
    # An unchanged past deadline must not trip the "not before today" check.
    check_day = min(today, item.deadline) if "deadline" not in data else today

    def apply():
        units = _apply(item, actor, data, today=check_day)
        return {"assisting_units": units} if units is not None else None

    def note(changed: list[str]) -> str:
        return "修改了" + "、".join(str(SupervisionItem._meta.get_field(k).verbose_name) for k in changed)

    changed = update_record(actor=actor, obj=item, fields=ITEM_FIELDS, apply=apply, note=note)
    if changed:
        _log(item, Action.UPDATE, actor, from_state=item.state, to_state=item.state, comment=note(changed),
             today=today)
    return item


@transaction.atomic
def item_delete(*, actor, item: SupervisionItem, expected_version=None) -> None:
    """Soft delete, only before 交办 (a registered-by-mistake item); afterwards the record must stay."""
    item = _lock(item)
    _require_supervisor(actor, item, "删除")
    check_version(item, expected_version, name=f"督办单{item.number}", verb="处理")
    if item.state != State.REGISTERED:
        raise ApplicationError(f"当前状态为“{item.get_state_display()}”，只有尚未交办的督办单可以删除。")
    soft_delete(actor=actor, obj=item)


# ---------------------------------------------------------------- the lifecycle


def _assign(step: Step) -> None:
    item, today = step.obj, step.data["today"]
    item.assigned_on = today
    if item.time_limit:  # a time limit runs from the day of 交办, not of 立项
        item.deadline = compute_deadline(today, item.time_limit, item.day_type)


def _feedback(step: Step) -> None:
    step.obj.result = step.comment


def _return(step: Step) -> None:
    step.obj.return_count += 1


def _close(step: Step) -> None:
    step.obj.closed_on = step.data["today"]


def _urge(step: Step) -> None:
    step.obj.urge_count += 1


def _head(item: SupervisionItem) -> str:
    return f"{item.number} {item.title}"


def _due(item: SupervisionItem) -> str:
    return f"办理期限：{item.deadline:%Y年%m月%d日}"


def _announce_assign(step: Step) -> None:
    item = step.obj
    notify_lead_unit(item, key=f"supervision:{item.pk}:assign", kind="supervision",
                     title=f"新的督办事项：{_head(item)}", body=f"{item.requirement}\n{_due(item)}".strip())


def _announce_urge(step: Step) -> None:
    item = step.obj
    notify_lead_unit(item, key=f"supervision:{item.pk}:urge:{item.urge_count}", kind="supervision",
                     title=f"第{item.urge_count}次催办：{_head(item)}", body=f"{step.comment}\n{_due(item)}".strip())


def _announce_return(step: Step) -> None:
    item = step.obj
    notify_lead_unit(item, key=f"supervision:{item.pk}:return:{step.event.pk}", kind="supervision",
                     title=f"督办反馈被退回：{_head(item)}", body=step.comment)


def _announce_close(step: Step) -> None:
    item = step.obj
    handoffs.announce("supervision.item_closed", item=item, actor=step.actor)
    notify_lead_unit(item, key=f"supervision:{item.pk}:close", kind="supervision",
                     title=f"督办事项已办结：{_head(item)}", body=step.comment)


def _check_evidence(step: Step) -> None:
    check_attachments(step.data.get("files") or (), field="files", what="佐证材料")


def _keep_evidence(step: Step) -> None:
    """The feedback's 佐证材料, tied to its event; stored before the supervisors hear of it."""
    for f in step.data.get("files") or ():
        SupervisionAttachment.objects.create(
            item=step.obj, event=step.event, file=f, name=(getattr(f, "name", "") or "佐证材料")[:200],
            uploaded_by=step.actor if getattr(step.actor, "pk", None) else None, uploaded_at=step.at,
        )
    _announce_feedback(step)


def _announce_feedback(step: Step) -> None:
    item = step.obj
    notify_supervisors(item, key=f"supervision:{item.pk}:feedback:{step.event.pk}", kind="supervision",
                       title=f"督办反馈待审核：{_head(item)}", body=step.comment[:500])


def _check_extension(step: Step) -> None:
    """An extension is asked before the deadline has passed, one at a time, for a later date."""
    item = step.obj
    if step.data["today"] > item.deadline:
        raise ApplicationError("已超过办理期限，不能申请延期", field="requested_deadline")
    if item.extension_requests.filter(status=Status.PENDING).exists():
        raise ApplicationError("该督办单已有待审批的延期申请，请等待督查室审批。")
    new_deadline = to_date(step.data["requested_deadline"], "申请延至", field="requested_deadline")
    if new_deadline <= item.deadline:
        raise ApplicationError(
            f"申请延至的日期须晚于当前办理期限（{item.deadline:%Y-%m-%d}）。", field="requested_deadline"
        )
    step.extra["requested_deadline"] = new_deadline


def _open_extension(step: Step) -> None:
    step.extra["request"] = ExtensionRequest.objects.create(
        item=step.obj, previous_deadline=step.obj.deadline, requested_deadline=step.extra["requested_deadline"],
        reason=step.data["reason"].strip(), progress=step.data["progress"].strip(), requested_by=step.actor,
        requested_at=step.at,
    )


def _describe_extension(step: Step) -> str:
    request = step.extra["request"]
    return f"申请由{request.previous_deadline:%Y-%m-%d}延至{request.requested_deadline:%Y-%m-%d}。理由：{request.reason}"


def _announce_extension(step: Step) -> None:
    item, request = step.obj, step.extra["request"]
    notify_supervisors(item, key=f"supervision:{item.pk}:extension:{request.pk}", kind="supervision",
                       title=f"延期申请待审批：{_head(item)}",
                       body=f"申请延至{request.requested_deadline:%Y年%m月%d日}。{request.reason}")


WORKING = tuple(WORKING_STATES)

ITEM_FLOW = Workflow(
    model=SupervisionItem,
    event_model=SupervisionEvent,
    event_fk="item",
    lock=_lock,
    name=lambda item: f"督办单{item.number}",
    refusal=_refusal,
    denial=_denial,
    transitions=[
        Transition(Action.ASSIGN, "交办", (State.REGISTERED,), State.ASSIGNED, may_supervise,
                   apply=_assign, effect=_announce_assign, fields=("assigned_on", "deadline")),
        Transition(Action.START, "签收办理", (State.ASSIGNED,), State.IN_PROGRESS, may_handle),
        Transition(Action.FEEDBACK, "反馈", (State.IN_PROGRESS,), State.FEEDBACK, may_handle,
                   requires=(Requirement("comment", "请填写办理结果。"),), check=_check_evidence, apply=_feedback,
                   effect=_keep_evidence, fields=("result",)),
        Transition(Action.RETURN, "退回", (State.FEEDBACK,), State.IN_PROGRESS, may_supervise,
                   requires=(Requirement("comment", "退回时请填写退回意见。"),), apply=_return,
                   effect=_announce_return, fields=("return_count",)),
        Transition(Action.CLOSE, "办结", (State.FEEDBACK,), State.CLOSED, may_supervise,
                   apply=_close, effect=_announce_close, fields=("closed_on",)),
        Transition(Action.URGE, "催办", WORKING, None, may_supervise,
                   apply=_urge, effect=_announce_urge, fields=("urge_count",)),
        Transition(Action.EXTENSION_REQUEST, "申请延期", WORKING, None, may_handle,
                   requires=(Requirement("requested_deadline", "请填写申请延至的日期。"),
                             Requirement("reason", "请填写延期理由。"),
                             Requirement("progress", "请填写目前进展。")),
                   check=_check_extension, apply=_open_extension, describe=_describe_extension,
                   effect=_announce_extension),
    ],
)

# The lifecycle steps taken with a button (pages) or an action route (API); 申请延期 has its own form.
TRANSITIONS = {a: ITEM_FLOW[a] for a in
               (Action.ASSIGN, Action.START, Action.FEEDBACK, Action.RETURN, Action.CLOSE, Action.URGE)}


def allowed_actions(user, item: SupervisionItem, *, today: dt.date | None = None) -> list[str]:
    """Actions this user may take on the item now (for the buttons and the API); the engine's rules."""
    if item.deleted_at:
        return []
    actions = [t.action for t in ITEM_FLOW.available(user, item)]
    if Action.EXTENSION_REQUEST in actions and item.deadline < _today(today):
        actions.remove(Action.EXTENSION_REQUEST)  # too late: the page says so instead
    if item.state == State.REGISTERED and may_supervise(user, item):
        actions.append("delete")
    if item.state != State.CLOSED and may_supervise(user, item):
        actions.append(Action.UPDATE)
    return actions


def transition(*, actor, item: SupervisionItem | int, action: str, comment: str = "", expected_version=None,
               today: dt.date | None = None, files=()) -> SupervisionItem:
    """Take one lifecycle step of TRANSITIONS; refused ones raise and write nothing.
    `files` are the 佐证材料 of a feedback (other steps take none)."""
    if action not in TRANSITIONS:
        raise ApplicationError(f"未知的操作“{action}”。")
    files = list(files or ())
    if files and action != Action.FEEDBACK:
        raise ApplicationError("只有反馈办理结果时可以上传佐证材料。", field="files")
    step = ITEM_FLOW.transition(item, action, actor=actor, expected_version=expected_version, at=_moment(today),
                                today=_today(today), comment=comment, files=files)
    return step.obj


def _comment_step(action: str):
    """A step that takes only a comment, by name, with the narrow signature callers rely on
    (no files, no other action): item_assign(actor=…, item=…, comment=…, today=…)."""
    def step(*, actor, item, comment: str = "", expected_version=None, today=None) -> SupervisionItem:
        return transition(actor=actor, item=item, action=action, comment=comment,
                          expected_version=expected_version, today=today)

    step.__name__ = step.__qualname__ = f"item_{action}"
    return step


item_assign = _comment_step(Action.ASSIGN)
item_start = _comment_step(Action.START)
item_close = _comment_step(Action.CLOSE)
item_urge = _comment_step(Action.URGE)


def item_feedback(*, actor, item, result: str, files=(), expected_version=None, today=None) -> SupervisionItem:
    return transition(actor=actor, item=item, action=Action.FEEDBACK, comment=result, files=files,
                      expected_version=expected_version, today=today)


def item_return(*, actor, item, comment: str, expected_version=None, today=None) -> SupervisionItem:
    return transition(actor=actor, item=item, action=Action.RETURN, comment=comment,
                      expected_version=expected_version, today=today)


def extension_request(*, actor, item: SupervisionItem | int, requested_deadline, reason: str, progress: str,
                      expected_version=None, today: dt.date | None = None) -> ExtensionRequest:
    """The lead unit asks for more time; only before the deadline has passed (domain.md §2.3)."""
    step = ITEM_FLOW.transition(
        item, Action.EXTENSION_REQUEST, actor=actor, expected_version=expected_version, at=_moment(today),
        today=_today(today), requested_deadline=requested_deadline, reason=reason, progress=progress,
    )
    return step.extra["request"]


# ---------------------------------------------------------------- extension decisions (an approval)


def may_decide(user, request: ExtensionRequest) -> bool:
    return may_supervise(user, request.item)


def _lock_request(pk: int) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=pk)
    request.item = _lock(request.item_id)
    return request


def _check_decidable(step: Step) -> None:
    if step.obj.item.state == State.CLOSED:
        raise ApplicationError("当前状态为“已办结”，不能再审批延期。")


def _check_approvable(step: Step) -> None:
    _check_decidable(step)
    request = step.obj
    if request.requested_deadline <= request.item.deadline:
        raise ApplicationError(
            f"申请延至的日期（{request.requested_deadline:%Y-%m-%d}）已不晚于当前办理期限，无需延期。"
        )


def _decide(step: Step) -> None:
    request = step.obj
    request.decided_by = step.actor
    request.decided_at = step.at
    request.decision_comment = step.comment
    if step.to_state == Status.APPROVED:
        # The item's deadline moves: its own version and history, like any edit of the item.
        item = request.item
        step.extra["old_deadline"] = old = item.deadline
        item.deadline = request.requested_deadline
        item.version += 1
        item.save(update_fields=["deadline", "version", "updated_at"])
        record_change(actor=step.actor, obj=item, action=ChangeRecord.Action.UPDATE, before={"deadline": old},
                      after={"deadline": item.deadline}, note="同意延期")


def _describe_approval(step: Step) -> str:
    item = step.obj.item
    return f"办理期限由{step.extra['old_deadline']:%Y-%m-%d}延至{item.deadline:%Y-%m-%d}。{step.comment}".strip()


def _describe_refusal(step: Step) -> str:
    return f"办理期限仍为{step.obj.item.deadline:%Y-%m-%d}。{step.comment}"


def _announce_decision(step: Step) -> None:
    request, item = step.obj, step.obj.item
    if step.to_state == Status.APPROVED:
        notify_lead_unit(item, key=f"supervision:{item.pk}:extension:{request.pk}:approved", kind="supervision",
                         title=f"延期申请已同意：{_head(item)}", body=step.event.comment)
    else:
        notify_lead_unit(item, key=f"supervision:{item.pk}:extension:{request.pk}:refused", kind="supervision",
                         title=f"延期申请未获同意：{_head(item)}", body=step.comment)


DECIDED = ("decision_comment",)  # who and when are the change record's own actor and time

EXTENSION_FLOW = Workflow(
    model=ExtensionRequest,
    state_field="status",
    event_model=SupervisionEvent,
    event_fk="item",
    subject=lambda request: request.item,  # decisions are lines of the item's timeline
    event_states=lambda step: (step.obj.item.state, step.obj.item.state),
    lock=_lock_request,
    refusal=lambda request, rule: f"该延期申请已{request.get_status_display()}，不能重复审批。",
    denial=lambda request, rule: "只有督查室可以审批延期申请。",
    transitions=[
        Transition(Action.EXTENSION_APPROVE, "同意延期", (Status.PENDING,), Status.APPROVED, may_decide,
                   check=_check_approvable, apply=_decide, describe=_describe_approval,
                   effect=_announce_decision, fields=DECIDED),
        Transition(Action.EXTENSION_REFUSE, "不同意延期", (Status.PENDING,), Status.REFUSED, may_decide,
                   requires=(Requirement("comment", "不同意延期时请填写理由。"),), check=_check_decidable,
                   apply=_decide, describe=_describe_refusal, effect=_announce_decision, fields=DECIDED),
    ],
)


def _decision(action: str, actor, request: ExtensionRequest | int, comment: str, today) -> ExtensionRequest:
    pk = request.pk if isinstance(request, ExtensionRequest) else request
    return EXTENSION_FLOW.transition(pk, action, actor=actor, at=_moment(today), comment=comment).obj


def extension_approve(*, actor, request: ExtensionRequest | int, comment: str = "",
                      today: dt.date | None = None) -> ExtensionRequest:
    """Approve: the deadline moves to the requested date, logged on the item's timeline and history."""
    return _decision(Action.EXTENSION_APPROVE, actor, request, comment, today)


def extension_refuse(*, actor, request: ExtensionRequest | int, comment: str,
                     today: dt.date | None = None) -> ExtensionRequest:
    return _decision(Action.EXTENSION_REFUSE, actor, request, comment, today)


# ---------------------------------------------------------------- leaders' 批示

INSTRUCTION_MAX = 2000


def _instruction_url(instruction: Instruction) -> str:
    if instruction.target_id:
        return reverse("plans:target_detail", kwargs={"pk": instruction.target_id}) + "#instructions"
    return reverse("supervision:detail", kwargs={"pk": instruction.item_id}) + "#instructions"


@transaction.atomic
def instruction_create(*, actor, text: str, target=None, item=None, wants_item: bool = False,
                       is_demo: bool = False) -> Instruction:
    """A leader writes a 批示 on a target or a 督办单 they can read. The 督查室 hears of it: a
    leader may not register a 督办单 (numbering, lead unit and time limit are the office's), so
    "请督查室立项督办" is a request the office turns into one (instruction_raise)."""
    if actor is None or not actor.can("supervision.instruct"):
        raise PermissionDeniedError("只有领导可以作出批示。")
    if (target is None) == (item is None):
        raise ApplicationError("批示须针对一个目标或一张督办单。")
    instruction = Instruction(author=actor, wants_item=bool(wants_item), is_demo=is_demo)
    if target is not None:
        instruction.target = _target(actor, target)
        if instruction.target.plan.status == "draft":
            raise ApplicationError("草稿计划中的目标不能批示，请在计划启用后批示。", field="target")
        subject = f"目标“{instruction.target.title[:40]}”"
    else:
        pk = item.pk if isinstance(item, SupervisionItem) else item
        found = SupervisionItem.objects.visible_to(actor).filter(pk=parse_id(pk)).first()
        if found is None:
            raise ApplicationError(f"督办单“{item}”不存在或您无权查看。", field="item")
        instruction.item = found
        subject = f"督办单{found.number}"
    instruction.text = (text or "").strip()
    if not instruction.text:
        raise ApplicationError("请填写批示内容。", field="text")
    if len(instruction.text) > INSTRUCTION_MAX:
        raise ApplicationError(f"批示内容不能超过{INSTRUCTION_MAX}字（现为{len(instruction.text)}字）。", field="text")
    create_record(actor=actor, obj=instruction, fields=["target", "item", "text", "wants_item"])
    ask = "，请立项督办" if instruction.wants_item else ""
    for person in selectors.supervisors():
        notify_once(recipient=person, key=f"supervision:instruction:{instruction.pk}", kind="supervision",
                    title=f"{actor}对{subject}作出批示{ask}", body=instruction.text[:500],
                    url=_instruction_url(instruction))
    return instruction


@transaction.atomic
def instruction_raise(*, actor, instruction: Instruction, data: dict, today: dt.date | None = None) -> SupervisionItem:
    """立项 a 督办单 from a 批示 (source 领导批示): the item and the link are written together."""
    locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if not may_supervise(actor, None):
        raise PermissionDeniedError("只有督查室可以据批示立项督办。")
    if locked.raised_item_id:
        number = SupervisionItem.objects.filter(pk=locked.raised_item_id).values_list("number", flat=True).first()
        raise ConflictError(f"该批示已立项为{number or '督办单'}，不能重复立项。")
    data = {**data, "source_kind": Kind.LEADER_INSTRUCTION}
    if not (data.get("source_text") or "").strip():
        data["source_text"] = instruction_source_text(locked)
    item = item_create(actor=actor, data=data, today=today, is_demo=locked.is_demo)
    locked.raised_item = item
    locked.save(update_fields=["raised_item"])
    record_change(actor=actor, obj=locked, action=ChangeRecord.Action.UPDATE, before={"raised_item": None},
                  after={"raised_item": item.pk}, note=f"据此立项：{item.number}")
    return item


@transaction.atomic
def item_raise_from(*, actor, data: dict, source_kind: str, source_url: str, is_demo: bool = False,
                    today: dt.date | None = None) -> SupervisionItem:
    """立项 a 督办单 another register raises (a project's problem 提请领导协调): offered to it through
    core.handoffs. That register's own rule decides who may ask; the item starts at 立项, the
    督查室 hears of it and assigns it as any other."""
    if source_kind == Kind.TARGET or source_kind not in Kind.values:
        raise ApplicationError(f"来源“{source_kind}”不正确。", field="source_kind")
    today = _today(today)
    item = SupervisionItem(created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
                           year=today.year, source_kind=source_kind, source_url=source_url[:200])
    item = _register(item, actor, {**data, "source_kind": source_kind}, today)
    for person in selectors.supervisors():
        notify_once(recipient=person, key=f"supervision:raised:{item.pk}", kind="supervision",
                    title=f"{Kind(source_kind).label}：{_head(item)}，请交办", body=item.source_text[:500],
                    url=_url(item))
    return item


def instruction_source_text(instruction: Instruction) -> str:
    """How a 批示 reads as a 督办单's source: who, when, what."""
    when = timezone.localtime(instruction.created_at)
    return f"{instruction.author}于{when:%Y年%m月%d日}批示：{instruction.text}"
