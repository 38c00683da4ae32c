"""目标调整: the one way an active plan's targets change (services; pages and the API call these).

A lead unit or the office asks (reason, the decision it rests on as a file, the proposal); the
office or a leader, as the plan says, approves or refuses; an approval applies in the same
transaction. A change goes through `update_record` (history names the fields); a cancellation or a
split takes the target out of the lists (deleted_at, dated by `cancelled_on`) and a split's parts
are new targets that name it (`adjusted_from`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.attachments import check_attachment
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.models import ChangeRecord
from yuanqu.core.notifications import notify_once
from yuanqu.core.services import check_version, update_record, validate
from yuanqu.core.workflow import Requirement, Transition, Workflow
from yuanqu.org.selectors import users_holding

from .models import AdjustmentEvent, Plan, Target, TargetAdjustment
from .services import _apply_target_data

Kind = TargetAdjustment.Kind
Status = TargetAdjustment.Status
Action = ChangeRecord.Action
APPROVER_ABILITY = {"office": "plans.approve_adjustment_office", "leader": "plans.approve_adjustment_leader"}
APPROVER_LABEL = {"office": "督查室", "leader": "分管领导"}
SPLIT_FIELDS = ("title", "target_value", "unit", "deadline", "lead_unit")


def may_request(user, target: Target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if target.lead_unit_id is None:
        return user.can("plans.edit_plan")
    return user.can("plans.request_adjustment", unit=target.lead_unit_id)


def may_decide(user, adjustment: TargetAdjustment) -> bool:
    """The plan's approver (office or leader), never the person who asked."""
    if user is None or not user.is_authenticated or user.pk == adjustment.requested_by_id:
        return False
    return user.can(APPROVER_ABILITY[adjustment.plan.adjustment_approver])


def may_withdraw(user, adjustment: TargetAdjustment) -> bool:
    return user is not None and user.pk == adjustment.requested_by_id


# ---------------------------------------------------------------- asking


def _encode(value):
    """A proposed value as JSON: units by id, dates ISO, numbers as text (exact)."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _checked(candidate: Target, what: str = "") -> None:
    """The model's own rules on a target as it would be saved (lengths, digits, weights …), so a
    request that could never be applied is refused when it is made, not when it is approved."""
    try:
        validate(candidate, exclude=["plan", "section", "measure", "lead_unit", "adjusted_from"])
    except ApplicationError as exc:
        raise ApplicationError(f"{what}{exc.message}", field="parts" if what else exc.field) from exc
    except (ArithmeticError, ValueError) as exc:  # a number too long for the column
        raise ApplicationError(f"{what}数值超出可填写的范围，请核对。", field="parts" if what else "changes") from exc


def split_part(target: Target, part: dict) -> Target:
    """One part of a split as it will be saved: the original's place, kind and units, the part's
    own text, figure, deadline and lead unit (shared by the request's check and the approval)."""
    piece = Target(
        plan=target.plan, section=target.section, measure=target.measure, indicator=target.indicator,
        kind=target.kind, comparator=target.comparator if part.get("target_value") not in (None, "") else "",
        start_date=target.start_date, weight=target.weight, points=target.points, metric="",
        adjusted_from=target, order=target.order, source_start=target.source_start, source_end=target.source_end,
        lead_unit=target.lead_unit,
    )
    if piece.comparator == Target.Comparator.RANGE:
        piece.comparator = Target.Comparator.GTE  # a part states one figure, not the original's range
    _apply_target_data(piece, {f: part.get(f) for f in SPLIT_FIELDS if part.get(f) not in (None, "")})
    return piece


def _proposal(target: Target, changes: dict, today: dt.date) -> dict:
    """The fields of `changes` that differ from the target, parsed by the target's own rules."""
    if not isinstance(changes, dict):
        raise ApplicationError("调整内容应为“字段: 新值”的对象。", field="changes")
    if "cooperating_units" in changes and not isinstance(changes["cooperating_units"], list | tuple):
        raise ApplicationError("配合单位应为单位编号的列表。", field="cooperating_units")
    unknown = set(changes) - set(TargetAdjustment.CHANGEABLE)
    if unknown:
        raise ApplicationError(f"目标调整不能修改“{'、'.join(sorted(unknown))}”。", field="changes")
    probe = Target.objects.select_related("plan", "section", "measure").get(pk=target.pk)
    before = snapshot(probe, TargetAdjustment.CHANGEABLE)
    try:
        units = _apply_target_data(probe, changes)
    except (ArithmeticError, ValueError) as exc:
        raise ApplicationError("调整内容中的数值超出可填写的范围，请核对。", field="changes") from exc
    _checked(probe)
    after = snapshot(probe, [f for f in TargetAdjustment.CHANGEABLE if f != "cooperating_units"], with_m2m=False)
    if units is not None:
        after["cooperating_units"] = sorted(u.pk for u in units)
    proposal = {f: after[f] for f in TargetAdjustment.CHANGEABLE if f in changes and after.get(f) != before.get(f)}
    if not proposal:
        raise ApplicationError("调整内容与目标现状相同，请填写要调整的内容。", field="changes")
    if "deadline" in proposal and probe.deadline is not None and probe.deadline < today:
        raise ApplicationError(f"新的完成期限（{probe.deadline:%Y-%m-%d}）不能早于今天。", field="deadline")
    if "lead_unit" in proposal and probe.lead_unit_id is None:
        raise ApplicationError("调整后须有牵头单位。", field="lead_unit")
    return {f: _encode(v) for f, v in proposal.items()}


def _split_parts(target: Target, parts: list[dict], today: dt.date) -> list[dict]:
    if not isinstance(parts, list | tuple) or not all(isinstance(p, dict) for p in parts):
        raise ApplicationError("拆分内容应为各项目标的列表，每项含目标内容、目标值、单位、完成期限、牵头单位。",
                               field="parts")
    parts = [p for p in parts if any(str(p.get(f) or "").strip() for f in SPLIT_FIELDS)]
    if len(parts) < 2:
        raise ApplicationError("拆分目标须至少拆为两项，请逐项填写。", field="parts")
    cleaned = []
    for number, part in enumerate(parts, start=1):
        if not str(part.get("title") or "").strip():
            raise ApplicationError(f"第{number}项：请填写目标内容。", field="parts")
        try:
            probe = split_part(target, part)
        except ApplicationError as exc:
            raise ApplicationError(f"第{number}项：{exc.message}", field="parts") from exc
        except (ArithmeticError, ValueError) as exc:
            raise ApplicationError(f"第{number}项：数值超出可填写的范围，请核对。", field="parts") from exc
        _checked(probe, f"第{number}项：")
        if probe.deadline is not None and probe.deadline < today:
            raise ApplicationError(f"第{number}项：完成期限（{probe.deadline:%Y-%m-%d}）不能早于今天。", field="parts")
        if probe.lead_unit_id is None:
            raise ApplicationError(f"第{number}项：请指定牵头单位。", field="parts")
        cleaned.append({f: _encode(getattr(probe, f)) for f in SPLIT_FIELDS})
    return cleaned


@transaction.atomic
def adjustment_request(*, actor, target: Target, kind: str, reason: str, basis: str, document,
                       changes: dict | None = None, parts: list[dict] | None = None,
                       expected_version=None) -> TargetAdjustment:
    target = Target.objects.select_for_update(of=("self",)).select_related("plan", "lead_unit").get(pk=target.pk)
    plan = target.plan
    if target.deleted_at:
        raise ApplicationError("该目标已删除或已取消，不能再调整。")
    if plan.status == Plan.Status.CLOSED:
        raise ApplicationError("计划已关闭，不能再调整目标。")
    if plan.status != Plan.Status.ACTIVE:
        raise ApplicationError("草稿计划的目标请直接在审阅页修改，无需申请调整。")
    if not may_request(actor, target):
        raise PermissionDeniedError("只有目标的牵头单位或督查室可以申请调整该目标。")
    check_version(target, expected_version)
    if kind not in Kind.values:
        raise ApplicationError("请选择调整类型。", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请写明调整理由。", field="reason")
    if basis not in TargetAdjustment.Basis.values:
        raise ApplicationError("请选择调整依据（会议纪要、领导批示等）。", field="basis")
    if not document:
        raise ApplicationError("请上传调整依据文件（会议纪要、领导批示等）。", field="document")
    check_attachment(document, field="document", what="依据文件")
    if TargetAdjustment.objects.filter(target=target, status=Status.PENDING).exists():
        raise ApplicationError("该目标已有待审批的调整申请，请等待审批或撤回后再提交。")
    today = clock.today()
    adjustment = TargetAdjustment(
        plan=plan, target=target, lead_unit=target.lead_unit, kind=kind, reason=reason, basis=basis,
        document=document, document_name=document.name.rsplit("/", 1)[-1][:200], requested_by=actor,
        target_version=target.version,
        changes=_proposal(target, changes or {}, today) if kind == Kind.CHANGE else {},
        parts=_split_parts(target, parts or [], today) if kind == Kind.SPLIT else [],
    )
    adjustment.save()
    AdjustmentEvent.objects.create(adjustment=adjustment, action="request", to_state=Status.PENDING, actor=actor,
                                   comment=reason)
    record_change(actor=actor, obj=adjustment, action=Action.CREATE,
                  after=snapshot(adjustment, ["kind", "reason", "basis", "changes", "parts", "status"]))
    _tell_approvers(adjustment)
    return adjustment


def _url(adjustment: TargetAdjustment) -> str:
    return reverse("plans:adjustment_detail", args=[adjustment.pk])


def _tell_approvers(adjustment: TargetAdjustment) -> None:
    ability = APPROVER_ABILITY[adjustment.plan.adjustment_approver]
    for user in users_holding(ability).exclude(pk=adjustment.requested_by_id):
        notify_once(recipient=user, key=f"adjustment:{adjustment.pk}:request", kind="adjustment",
                    title=f"目标调整待审批：{adjustment.target.title[:60]}",
                    body=f"{adjustment.get_kind_display()}。理由：{adjustment.reason[:200]}", url=_url(adjustment))


# ---------------------------------------------------------------- deciding


def _lock(pk: int) -> TargetAdjustment:
    return TargetAdjustment.objects.select_for_update(of=("self",)).select_related("plan", "target").get(pk=pk)


def _check_applicable(step) -> None:
    adjustment = step.obj
    if adjustment.plan.status != Plan.Status.ACTIVE:
        raise ApplicationError("计划已不在执行中，不能再审批调整。")
    target = Target.objects.select_for_update(of=("self",)).get(pk=adjustment.target_id)
    if target.deleted_at or target.version != adjustment.target_version:
        raise ApplicationError("目标在提出申请后已有变动，请申请人按目标现状重新提交调整。")
    if adjustment.kind == Kind.CHANGE and adjustment.changes.get("deadline"):
        if dt.date.fromisoformat(adjustment.changes["deadline"]) < clock.today():
            raise ApplicationError("申请的新完成期限已早于今天，请申请人重新提交。")


def _decide(step) -> None:
    adjustment = step.obj
    adjustment.decided_by = step.actor
    adjustment.decided_at = step.at
    adjustment.decision_comment = step.comment


def _apply(step) -> None:
    """Approval: the target changes, is cancelled or is split, in the approval's transaction."""
    _decide(step)
    adjustment = step.obj
    target = Target.objects.select_related("plan", "section", "measure").get(pk=adjustment.target_id)
    # As JSON: a target with a deadline would otherwise fail the approval (a date is no JSON value).
    adjustment.before = {k: _encode(v) for k, v in
                         snapshot(target, [*TargetAdjustment.CHANGEABLE, "kind", "comparator"]).items()}
    note = f"目标调整（{adjustment.get_kind_display()}，{adjustment.get_basis_display()}）：{adjustment.reason}"[:2000]
    if adjustment.kind == Kind.CHANGE:
        def apply():
            units = _apply_target_data(target, adjustment.changes)
            return {"cooperating_units": units} if units is not None else None

        update_record(actor=step.actor, obj=target, fields=TargetAdjustment.CHANGEABLE, apply=apply, note=note)
        return
    if adjustment.kind == Kind.SPLIT:
        cooperating = list(target.cooperating_units.all())
        # The parts share the original's weight, so its share of the assessment group stays.
        share = (target.weight / len(adjustment.parts)).quantize(Decimal("0.01"))
        for order, part in enumerate(adjustment.parts):
            piece = split_part(target, part)
            piece.weight = share
            validate(piece)
            piece.save()
            piece.cooperating_units.set(cooperating)
            record_change(actor=step.actor, obj=piece, action=Action.CREATE, after=snapshot(piece),
                          note=f"由“{target.title[:60]}”拆分（第{order + 1}项）")
    target.deleted_at = timezone.now()
    target.cancelled_on = clock.today()
    target.version += 1
    target.save(update_fields=["deleted_at", "cancelled_on", "version", "updated_at"])
    record_change(actor=step.actor, obj=target, action=Action.DELETE, before={"deleted": False},
                  after={"deleted": True}, note=note)


def _announce(step) -> None:
    adjustment = step.obj
    verdict = {Status.APPROVED: "已批准并生效", Status.REFUSED: "未获同意"}.get(step.to_state)
    if verdict is None or adjustment.requested_by is None:
        return
    notify_once(recipient=adjustment.requested_by, key=f"adjustment:{adjustment.pk}:{step.to_state}",
                kind="adjustment", title=f"目标调整{verdict}：{adjustment.target.title[:60]}",
                body=step.comment or "", url=_url(adjustment))


def _denial(adjustment: TargetAdjustment, rule: Transition) -> str:
    if rule.action == "withdraw":
        return "只有申请人可以撤回调整申请。"
    approver = APPROVER_LABEL[adjustment.plan.adjustment_approver]
    return f"该计划的目标调整由{approver}审批；申请人不能审批自己的申请。"


DECIDED = ("decided_by", "decided_at", "decision_comment")
FLOW = Workflow(
    model=TargetAdjustment,
    state_field="status",
    event_model=AdjustmentEvent,
    event_fk="adjustment",
    lock=_lock,
    refusal=lambda adjustment, rule: f"该调整申请{adjustment.get_status_display()}，不能再{rule.label}。",
    denial=_denial,
    transitions=[
        Transition("approve", "批准", (Status.PENDING,), Status.APPROVED, may_decide, check=_check_applicable,
                   apply=_apply, effect=_announce, fields=DECIDED),
        Transition("refuse", "不同意", (Status.PENDING,), Status.REFUSED, may_decide,
                   requires=(Requirement("comment", "不同意调整时请填写理由。"),),
                   apply=_decide, effect=_announce, fields=DECIDED),
        Transition("withdraw", "撤回", (Status.PENDING,), Status.WITHDRAWN, may_withdraw),
    ],
)


def adjustment_decide(*, actor, adjustment: TargetAdjustment | int, action: str, comment: str = "",
                      expected_version=None) -> TargetAdjustment:
    """approve / refuse / withdraw, one transaction; a refusal writes nothing."""
    pk = adjustment.pk if isinstance(adjustment, TargetAdjustment) else adjustment
    return FLOW.transition(pk, action, actor=actor, comment=comment, expected_version=expected_version).obj
