"""Every write on 招商引资 goes through here: rights, validation, the stage machine, history.

A lead's stage is the transition table LEAD_FLOW, run by core.workflow:

    信息 ──开始接触──▶ 接触 ──组织考察──▶ 考察 ──进入洽谈──▶ 洽谈 ──签约──▶ 签约
      └───────────── 终止（须写明原因）from any open stage ─────────────▶ 终止 ──重新跟进──▶ 信息

Who may: the owning unit's reporters (ability investment.edit_leads held for the unit, or a unit
above it) and administrators (zone-wide). Leaders and the 督查室 read, they do not write.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from yuanqu.chains.models import ChainNode
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import new_change, record_changes, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord, insert_many
from yuanqu.core.parsing import to_date
from yuanqu.core.services import create_record, delete_record, one_by_one, update_record, validate
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.org.models import OrgUnit, User

from .amounts import AmountError, parse_amount
from .models import (
    OPEN_STAGES,
    PIPELINE,
    AttractionMode,
    CompanyTag,
    FollowUp,
    Lead,
    LeadEvent,
    Stage,
    TargetCompany,
)
from .regions import RegionError, normalise_city, normalise_province

Action = LeadEvent.Action
LEAD_FIELDS = Lead.WRITABLE_FIELDS
HISTORY_FIELDS = (*Lead.WRITABLE_FIELDS, *Lead.AMOUNT_FIELDS)
COMPANY_FIELDS = TargetCompany.WRITABLE_FIELDS
# Foreign keys as the forms, the API, the import and its revert may give them: an instance or an id.
LEAD_REFS = {"company": TargetCompany, "mode": AttractionMode, "unit": OrgUnit, "owner": User,
             "chain_node": ChainNode}
COMPANY_REFS = {"chain_node": ChainNode}


# ---------------------------------------------------------------- who may


def may_edit(user, lead: Lead) -> bool:
    """The owning unit's people (or an administrator); `None` is the system itself (demo)."""
    return user is None or bool(user.is_authenticated and user.can("investment.edit_leads", unit=lead.unit_id))


def may_edit_companies(user) -> bool:
    return user is None or bool(user.is_authenticated and user.can("investment.edit_companies"))


def _require_unit(actor, unit: OrgUnit) -> None:
    if actor is not None and not actor.can("investment.edit_leads", unit=unit.pk):
        raise PermissionDeniedError(f"只能登记和修改本单位的招商线索（责任单位为“{unit}”）。")


# ---------------------------------------------------------------- helpers


def _resolve(model, value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model._default_manager.filter(pk=parse_id(value)).first() if parse_id(value) else None
    if found is None:
        raise ApplicationError(f"{model._meta.verbose_name}“{value}”不存在。", field=field)
    return found


def _set_amount(lead: Lead, text: str) -> None:
    try:
        amount = parse_amount(text)
    except AmountError as exc:
        raise ApplicationError(f"意向投资额：{exc}", field="amount_text") from None
    lead.amount_text = (text or "").strip() if not isinstance(text, str) else text.strip()
    lead.amount = amount.value if amount else None
    lead.currency = amount.currency if amount else "CNY"
    lead.amount_approximate = bool(amount and amount.approximate)


def _set_place(obj, data: dict, province_field: str, city_field: str) -> None:
    """A province in its full name (“广东” → “广东省”) and the city read with it (“深圳” → “深圳市”)."""
    if province_field in data:
        try:
            setattr(obj, province_field, normalise_province(data[province_field]))
        except RegionError as exc:
            raise ApplicationError(str(exc), field=province_field) from None
    if city_field in data or province_field in data:
        city = data[city_field] if city_field in data else getattr(obj, city_field)
        setattr(obj, city_field, normalise_city(city, getattr(obj, province_field)))


def _apply_lead(lead: Lead, data: dict) -> None:
    for key in LEAD_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in LEAD_REFS:
            setattr(lead, key, _resolve(LEAD_REFS[key], value, key))
        elif key == "amount_text":
            _set_amount(lead, "" if value is None else str(value))
        elif key == "next_action_on":
            lead.next_action_on = to_date(value, "下一步日期", field=key)
        elif key in ("source_province", "source_city"):
            continue
        else:
            setattr(lead, key, (value or "").strip() if isinstance(value, str) or value is None else value)
    _set_place(lead, data, "source_province", "source_city")
    if lead.mode is not None and not lead.mode.active and "mode" in data:
        raise ApplicationError(f"招商方式“{lead.mode}”已停用，请选择其他方式。", field="mode")


def _check_name_free(name: str, exclude_pk: int | None = None) -> None:
    clash = Lead.objects.filter(name=name.strip()).exclude(pk=exclude_pk).select_related("unit").first()
    if clash is not None:
        raise ApplicationError(f"项目“{name}”已登记（责任单位：{clash.unit}），请勿重复登记；如需更新请修改原线索。",
                               field="name")


# ---------------------------------------------------------------- leads


def _new_lead(actor, data: dict, is_demo: bool = False) -> Lead:
    """A lead built from the data, unsaved, its references resolved and the unit's right checked."""
    lead = Lead()  # the two set after: keywords cost Django's __init__ a failed look-up per other field
    lead.created_by = actor if getattr(actor, "pk", None) else None
    lead.is_demo = is_demo
    data = {k: v for k, v in data.items() if k in LEAD_FIELDS}
    if not data.get("unit") and actor is not None and getattr(actor, "unit_id", None):
        data["unit"] = actor.unit_id  # a reporter registers for their own unit by default
    _apply_lead(lead, data)
    if lead.unit_id is None:
        raise ApplicationError("请选择责任单位。", field="unit")
    _require_unit(actor, lead.unit)
    return lead


def _created(actor, lead: Lead, extra: tuple[str, ...] = ()):
    return new_change(actor=actor, obj=lead, action=ChangeRecord.Action.CREATE,
                      after=snapshot(lead, [*HISTORY_FIELDS, "stage", *extra]))


@transaction.atomic
def lead_create(*, actor, data: dict, is_demo: bool = False) -> Lead:
    lead = _new_lead(actor, data, is_demo)
    if lead.name:
        _check_name_free(lead.name)
    validate(lead)
    lead.save()
    record_changes([_created(actor, lead)])
    return lead


IMPORT_STEP_NOTE = "导入时登记的阶段"
# Loaded records, not ids typed by someone: full_clean need not look each one up again.
_REFERENCES = (*LEAD_REFS, "created_by")


@transaction.atomic
def lead_create_many(*, actor, items: list[dict]) -> list[Lead]:
    """Many new leads at once (the spreadsheet import), under lead_create's rules, each brought to
    its `stage` through LEAD_FLOW's steps as a person would take them: one event per step (the
    lead's timeline), and one change record, its creation at the stage reached, whose note names
    the steps (终止 with its `termination_reason`). A fixed number of queries for any number of
    leads: the names are checked together, the steps taken in memory, and leads, events and
    change records inserted in bulk. A refusal names the item (`extra["index"]`)."""
    leads = one_by_one(items, lambda item: _new_lead(actor, item))
    taken = set(Lead.objects.filter(name__in=[lead.name for lead in leads]).values_list("name", flat=True))
    seen: set[str] = set()

    def check(lead: Lead) -> None:
        if lead.name in taken or lead.name in seen:
            _check_name_free(lead.name)  # its wording, naming the unit that has it
            raise ApplicationError(f"项目“{lead.name}”重复登记。", field="name")
        seen.add(lead.name)
        validate(lead, exclude=_REFERENCES, validate_unique=False)

    one_by_one(leads, check)
    events, changes = [], []
    stage_labels = {stage.value: str(stage.label) for stage in Stage}  # lazy labels read once, not per lead

    def walk(pair) -> None:
        lead, item = pair
        stage = item.get("stage") or Stage.INFO
        forward = [STEP_INTO[s] for s in PIPELINE[1:PIPELINE.index(stage) + 1]] if stage in PIPELINE else []
        events.extend(LEAD_FLOW.replay(lead, forward, actor=actor, comment=IMPORT_STEP_NOTE, history=False)[0])
        steps = [LEAD_FLOW[a].label for a in forward]
        if stage == Stage.TERMINATED:
            reason = item.get("termination_reason") or ""
            events.extend(LEAD_FLOW.replay(lead, [Action.TERMINATE], actor=actor, comment=reason, history=False)[0])
            steps.append(f"终止（{reason}）")
        change = _created(actor, lead, extra=("termination_reason",) if lead.termination_reason else ())
        if steps:
            change.note = f"登记为“{stage_labels[lead.stage]}”，经{'、'.join(steps)}"[:2000]
        changes.append((lead, change))

    one_by_one(list(zip(leads, items, strict=True)), walk)
    insert_many(leads, ids=True)
    for lead, change in changes:
        change.object_id = lead.pk  # the insert has given the leads their ids
    insert_many(events)
    record_changes(change for _, change in changes)
    return leads


def _lock(lead: Lead | int) -> Lead:
    pk = lead.pk if isinstance(lead, Lead) else lead
    return Lead.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)


@transaction.atomic
def lead_update(*, actor, lead: Lead, data: dict, expected_version=None) -> Lead:
    lead = _lock(lead)
    _require_unit(actor, lead.unit)
    data = {k: v for k, v in data.items() if k in LEAD_FIELDS}

    def apply():
        _apply_lead(lead, data)
        if lead.unit_id is None:
            raise ApplicationError("请选择责任单位。", field="unit")
        _require_unit(actor, lead.unit)  # moving a lead: the new unit must be one's own too
        if "name" in data:
            _check_name_free(lead.name, lead.pk)

    update_record(actor=actor, obj=lead, fields=HISTORY_FIELDS, apply=apply, expected_version=expected_version)
    return lead


@transaction.atomic
def lead_delete(*, actor, lead: Lead) -> None:
    """Only for undoing an import batch (its stage steps go with it): a lead with follow-ups is kept."""
    lead = _lock(lead)
    _require_unit(actor, lead.unit)
    if lead.follow_ups.exists():
        raise ApplicationError(f"招商线索“{lead}”已有跟进记录，不能删除。")
    delete_record(actor=actor, obj=lead, fields=[*HISTORY_FIELDS, "stage"])


# ---------------------------------------------------------------- stages


def _terminate(step: Step) -> None:
    step.obj.termination_reason = step.comment


def _reopen(step: Step) -> None:
    step.obj.termination_reason = ""


def _denial(lead: Lead, rule: Transition) -> str:
    return f"只有责任单位“{lead.unit}”可以{rule.label}。"


def _refusal(lead: Lead, rule: Transition) -> str:
    label = Stage(lead.stage).label
    if lead.stage == Stage.SIGNED:
        return f"项目已签约，不能再{rule.label}。"
    return f"当前阶段为“{label}”，不能{rule.label}。"


def _one_step(action, label, source, target) -> Transition:
    return Transition(action, label, (source,), target, may_edit)


# The forward step that leads into each stage (the import walks a new lead up to its stage).
STEP_INTO = {Stage.CONTACT: Action.CONTACT, Stage.VISIT: Action.VISIT, Stage.NEGOTIATE: Action.NEGOTIATE,
             Stage.SIGNED: Action.SIGN}


LEAD_FLOW = Workflow(
    model=Lead, event_model=LeadEvent, event_fk="lead", state_field="stage",
    lock=_lock, refusal=_refusal, denial=_denial,
    transitions=[
        _one_step(Action.CONTACT, "开始接触", Stage.INFO, Stage.CONTACT),
        _one_step(Action.VISIT, "组织考察", Stage.CONTACT, Stage.VISIT),
        _one_step(Action.NEGOTIATE, "进入洽谈", Stage.VISIT, Stage.NEGOTIATE),
        _one_step(Action.SIGN, "签约", Stage.NEGOTIATE, Stage.SIGNED),
        Transition(Action.TERMINATE, "终止", tuple(OPEN_STAGES), Stage.TERMINATED, may_edit,
                   requires=(Requirement("comment", "终止线索时请填写终止原因。"),),
                   apply=_terminate, fields=("termination_reason",)),
        Transition(Action.REOPEN, "重新跟进", (Stage.TERMINATED,), Stage.INFO, may_edit,
                   apply=_reopen, fields=("termination_reason",)),
    ],
)


def lead_transition(*, actor, lead: Lead, action: str, comment: str = "", expected_version=None,
                    at: dt.datetime | None = None) -> Lead:
    return LEAD_FLOW.transition(lead, action, actor=actor, expected_version=expected_version,
                                comment=comment, at=at).obj


def allowed_actions(user, lead: Lead) -> list[str]:
    return [t.action for t in LEAD_FLOW.available(user, lead)]


# ---------------------------------------------------------------- follow-ups


@transaction.atomic
def follow_up_create(*, actor, lead: Lead, data: dict) -> FollowUp:
    """Log a 走访/来访/电话/考察; its next step (and date) becomes the lead's next action."""
    lead = _lock(lead)
    if not may_edit(actor, lead):
        raise PermissionDeniedError(f"只有责任单位“{lead.unit}”可以登记跟进记录。")
    entry = FollowUp(
        lead=lead, kind=data.get("kind") or "", people=(data.get("people") or "").strip(),
        date=to_date(data.get("date"), "日期", field="date"),
        content=(data.get("content") or "").strip(), next_step=(data.get("next_step") or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if entry.date is None:
        raise ApplicationError("请填写跟进日期。", field="date")
    create_record(actor=actor, obj=entry, fields=["kind", "date", "people", "content", "next_step"])
    if entry.next_step:
        next_on = to_date(data.get("next_date"), "下一步日期", field="next_date")

        def apply():
            lead.next_action = entry.next_step
            lead.next_action_on = next_on

        update_record(actor=actor, obj=lead, fields=("next_action", "next_action_on"), apply=apply,
                      note=f"跟进记录（{entry.get_kind_display()}）")
    return entry


# ---------------------------------------------------------------- target companies


def _apply_company(company: TargetCompany, data: dict) -> list | None:
    tags = None
    for key in COMPANY_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "tags":
            tags = [_resolve(CompanyTag, t, "tags") for t in (value or [])]
        elif key in COMPANY_REFS:
            setattr(company, key, _resolve(COMPANY_REFS[key], value, key))
        elif key in ("hq_province", "hq_city"):
            continue
        else:
            setattr(company, key, (value or "").strip() if isinstance(value, str) or value is None else value)
    _set_place(company, data, "hq_province", "hq_city")
    return tags


def _check_company_name(name: str, exclude_pk: int | None = None) -> None:
    if TargetCompany.objects.filter(name=name.strip()).exclude(pk=exclude_pk).exists():
        raise ApplicationError(f"目标企业“{name}”已在企业库中。", field="name")


@transaction.atomic
def company_create(*, actor, data: dict, is_demo: bool = False) -> TargetCompany:
    if not may_edit_companies(actor):
        raise PermissionDeniedError("您无权维护目标企业库。")
    company = TargetCompany(is_demo=is_demo)
    tags = _apply_company(company, data)
    if company.name:
        _check_company_name(company.name)
    return create_record(actor=actor, obj=company, fields=COMPANY_FIELDS, m2m={"tags": tags} if tags else None)


@transaction.atomic
def company_update(*, actor, company: TargetCompany, data: dict, expected_version=None) -> TargetCompany:
    if not may_edit_companies(actor):
        raise PermissionDeniedError("您无权维护目标企业库。")
    company = TargetCompany.objects.select_for_update().get(pk=company.pk)

    def apply():
        tags = _apply_company(company, data)
        if "name" in data:
            _check_company_name(company.name, company.pk)
        return {"tags": tags} if tags is not None else None

    update_record(actor=actor, obj=company, fields=COMPANY_FIELDS, apply=apply, expected_version=expected_version)
    return company


@transaction.atomic
def company_delete(*, actor, company: TargetCompany) -> None:
    """Only for undoing an import batch: a company some lead names is kept."""
    if not may_edit_companies(actor):
        raise PermissionDeniedError("您无权维护目标企业库。")
    if company.leads.exists():
        raise ApplicationError(f"目标企业“{company}”已有招商线索，不能删除。")
    delete_record(actor=actor, obj=company, fields=COMPANY_FIELDS)
