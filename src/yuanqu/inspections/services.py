"""Every write of the inspections register: rights, validation, one transaction, history.

A hazard's lifecycle is a transition table on core.workflow (HAZARD_FLOW):

    待下达整改 --下达整改通知--> 整改中 --报告整改完成--> 待复查 --复查通过--> 已销号
                                   ^------复查不通过--------+
    已销号 --复发重新整改 (a revisit found the problem back)--> 待下达整改

提请督办 (a 重大 hazard, or one past its deadline; state kept) raises a 督办单 through the
supervision app's offered service (core.handoffs). Closing a hazard schedules its first 回头看 on
the domain's interval (RevisitRule); each clean revisit schedules the next until the rule's
rounds are done; a revisit that finds the problem back reopens the hazard.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.attachments import check_attachments
from yuanqu.core.commonsteps import check_not_raised, describe_raise, raise_item
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import history_for, record_change, snapshot
from yuanqu.core.ids import parse_id, pick
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import to_date
from yuanqu.core.services import create_record, delete_record, save_record, update_record, validate
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow, refused
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit
from yuanqu.org.services import resolve_unit

from .models import (
    OPEN,
    Action,
    ChecklistTemplate,
    Domain,
    Hazard,
    HazardEvent,
    Inspection,
    Level,
    Revisit,
    RevisitRule,
    StageEvidence,
    State,
    Work,
    WorkKind,
    WorkStage,
)

# ---------------------------------------------------------------- rights


def may_inspect(user, unit=None) -> bool:
    """Holds inspections.inspect (for the unit, when given): the inspecting bureaus and the administrator."""
    return user is None or user.can("inspections.inspect", unit=unit)


def may_recheck(user, hazard: Hazard) -> bool:
    return may_inspect(user, hazard.inspection.inspecting_unit_id)


def may_rectify(user, hazard: Hazard) -> bool:
    return user is None or user.can("inspections.rectify", unit=hazard.responsible_unit_id)


def may_raise(user, hazard: Hazard) -> bool:
    """The inspecting unit, or the 督查室 (who issues 督办单 anyway)."""
    return may_recheck(user, hazard) or user.can("supervision.issue_item")


def may_keep_work(user, work: Work) -> bool:
    return user is None or user.can("inspections.rectify", unit=work.lead_unit_id) or \
        user.can("inspections.inspect", unit=work.lead_unit_id)


# ---------------------------------------------------------------- input



def _village(value) -> OrgUnit | None:
    unit = resolve_unit(value, field="village", label="所在村（社区）")
    if unit is not None and unit.kind not in (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY):
        raise ApplicationError(f"“{unit.name}”不是村或社区，请选择检查地点所在的村（社区）。", field="village")
    return unit


def _text(data: dict, key: str) -> str:
    return str(data.get(key) or "").strip()


# ---------------------------------------------------------------- inspections


def _set_inspection(inspection: Inspection, data: dict, today: dt.date) -> None:
    if "domain" in data:
        inspection.domain = data["domain"] or ""
    if inspection.domain not in Domain.values:
        raise ApplicationError("请选择检查类别（安全生产、环境污染或城乡环境）。", field="domain")
    if "enterprise" in data:
        inspection.enterprise = pick(Enterprise.objects.all(), data["enterprise"], field="enterprise", label="企业")
    if "village" in data:
        inspection.village = _village(data["village"])
    if "inspecting_unit" in data:
        inspection.inspecting_unit = resolve_unit(data["inspecting_unit"], field="inspecting_unit", label="检查单位")
    if "inspected_on" in data:
        inspection.inspected_on = to_date(data["inspected_on"], "检查日期", field="inspected_on")
    if "template" in data:
        inspection.template = pick(ChecklistTemplate.objects.filter(is_active=True), data["template"],
                                    field="template", label="检查表")
    for key in ("site", "inspectors", "findings"):
        if key in data:
            setattr(inspection, key, _text(data, key))
    if inspection.enterprise_id is None and not inspection.site:
        raise ApplicationError("请选择被检查企业或填写检查地点。", field="site")
    if inspection.inspected_on is None:
        raise ApplicationError("请填写检查日期。", field="inspected_on")
    if inspection.inspected_on > today:
        raise ApplicationError(f"检查日期（{inspection.inspected_on:%Y-%m-%d}）不能晚于今天。", field="inspected_on")
    if inspection.inspecting_unit_id is None:
        raise ApplicationError("请选择检查单位。", field="inspecting_unit")
    if not inspection.inspectors:
        raise ApplicationError("请填写检查人员。", field="inspectors")
    template = inspection.template
    if template is not None:
        if template.domain != inspection.domain:
            raise ApplicationError(f"检查表“{template.name}”属于{template.get_domain_display()}，与检查类别不符。",
                                   field="template")
        # The items as they read today: a later edit of the checklist does not rewrite this inspection.
        inspection.template_version, inspection.checklist = template.version, template.item_list()


@transaction.atomic
def inspection_create(*, actor, data: dict, is_demo: bool = False, today: dt.date | None = None) -> Inspection:
    data = dict(data)
    if not data.get("inspecting_unit") and getattr(actor, "unit_id", None):
        data["inspecting_unit"] = actor.unit_id
    if not may_inspect(actor):
        raise PermissionDeniedError("只有检查单位（应急、环保、城管等）的检查人员可以登记检查。")
    inspection = Inspection(recorded_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
                            source_number=_text(data, "source_number"))
    _set_inspection(inspection, data, today or clock.today())
    if not may_inspect(actor, inspection.inspecting_unit_id):
        raise PermissionDeniedError(f"您不能以{inspection.inspecting_unit.name}的名义登记检查。")
    return create_record(actor=actor, obj=inspection,
                         fields=(*Inspection.WRITABLE_FIELDS, "source_number", "template_version"))


# What an inspection's edit may change once recorded: the place, the day, who inspected and what
# was found. The category, the inspecting unit and the checklist (kept as it read) stay.
EDITABLE = ("enterprise", "site", "village", "inspected_on", "inspectors", "findings")


def inspection_closed(inspection: Inspection) -> bool:
    """Every hazard found is closed (销号): the record they were closed against stays as it was."""
    states = set(inspection.hazards.values_list("state", flat=True))
    return bool(states) and states <= {State.CLOSED}


def may_edit_inspection(user, inspection: Inspection) -> bool:
    return may_inspect(user, inspection.inspecting_unit_id) and not inspection_closed(inspection)


@transaction.atomic
def inspection_update(*, actor, inspection: Inspection, data: dict, expected_version=None) -> Inspection:
    """Correct an inspection while a hazard it found is still open (or none was found); the
    history names each changed field."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not may_inspect(actor, inspection.inspecting_unit_id):
        raise PermissionDeniedError("只能修改本单位的检查记录。")
    if inspection_closed(inspection):
        raise ApplicationError("本次检查发现的隐患已全部销号，检查记录不能再修改。")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ApplicationError("检查类别、检查单位和检查表登记后不能修改。", field=sorted(unknown)[0])

    def apply():
        _set_inspection(inspection, data, clock.today())
        if not may_inspect(actor, inspection.inspecting_unit_id):
            raise PermissionDeniedError(f"您不能以{inspection.inspecting_unit.name}的名义登记检查。")
        if inspection.hazards.filter(notice_on__lt=inspection.inspected_on).exists():
            raise ApplicationError("已有隐患的整改通知早于新的检查日期，不能这样修改检查日期。", field="inspected_on")

    update_record(actor=actor, obj=inspection, fields=Inspection.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return inspection


# ---------------------------------------------------------------- hazards


def _set_hazard(hazard: Hazard, data: dict) -> None:
    if "description" in data:
        hazard.description = _text(data, "description")
    if "level" in data:
        hazard.level = data["level"] or ""
    if "responsible_unit" in data:
        hazard.responsible_unit = resolve_unit(data["responsible_unit"], field="responsible_unit", label="责任单位")
    if "responsible_person" in data:
        hazard.responsible_person = _text(data, "responsible_person")
    if not hazard.description:
        raise ApplicationError("请填写隐患（问题）描述。", field="description")
    if hazard.level not in Level.values:
        raise ApplicationError(f"隐患等级应为“一般”或“重大”，收到“{hazard.level}”。", field="level")
    if hazard.responsible_unit_id is None:
        raise ApplicationError("请选择隐患的责任单位。", field="responsible_unit")


@transaction.atomic
def hazard_create(*, actor, inspection: Inspection | int, data: dict, is_demo: bool = False) -> Hazard:
    inspection = pick(Inspection.objects.select_related("inspecting_unit"), inspection, field="inspection",
                       label="检查")
    if inspection is None:
        raise ApplicationError("请选择隐患所属的检查。", field="inspection")
    if not may_inspect(actor, inspection.inspecting_unit_id):
        raise PermissionDeniedError("只有检查单位可以登记本次检查发现的隐患。")
    hazard = Hazard(inspection=inspection, created_by=actor if getattr(actor, "pk", None) else None,
                    is_demo=is_demo or inspection.is_demo, source_number=_text(data, "source_number"))
    data = {"level": Level.GENERAL, **data}
    _set_hazard(hazard, data)
    return create_record(actor=actor, obj=hazard, fields=(*Hazard.WRITABLE_FIELDS, "source_number", "state"))


@transaction.atomic
def hazard_delete(*, actor, hazard: Hazard) -> None:
    """Remove a hazard recorded by mistake (an import reverted), and its inspection when it was
    imported and found nothing else; the history keeps both."""
    hazard = Hazard.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=hazard.pk)
    if not may_recheck(actor, hazard):
        raise PermissionDeniedError("只有检查单位可以删除隐患。")
    if hazard.supervision_item_id or hazard.state == State.CLOSED:
        raise ApplicationError(f"隐患“{hazard.description[:20]}”已销号或已提请督办，不能删除。")
    inspection = hazard.inspection
    # Its events and planned revisits go with it.
    delete_record(actor=actor, obj=hazard, fields=(*Hazard.WRITABLE_FIELDS, "source_number", "state"))
    # An imported inspection goes with its last hazard, unless someone has corrected it since.
    corrected = history_for(inspection).exclude(action=ChangeRecord.Action.CREATE).exists()
    if inspection.source_number and not corrected and not inspection.hazards.exists():
        delete_record(actor=actor, obj=inspection, fields=(*Inspection.WRITABLE_FIELDS, "source_number"))


@transaction.atomic
def hazard_update(*, actor, hazard: Hazard, data: dict, expected_version=None) -> Hazard:
    hazard = Hazard.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=hazard.pk)
    if not may_recheck(actor, hazard):
        raise PermissionDeniedError("只有检查单位可以修改隐患。")
    if hazard.state == State.CLOSED:
        raise ApplicationError("隐患已销号，不能修改。")
    update_record(actor=actor, obj=hazard, fields=Hazard.WRITABLE_FIELDS, apply=lambda: _set_hazard(hazard, data),
                  expected_version=expected_version)
    return hazard


# ---------------------------------------------------------------- the lifecycle


def _refusal(hazard: Hazard, rule: Transition) -> str:
    if rule.action in (Action.PASS, Action.FAIL):
        if hazard.state == State.FOUND:
            return "尚未下达整改通知，不能复查。"
        if hazard.state == State.RECTIFYING:
            return "整改尚未报告完成，不能复查。"
    if rule.action == Action.REPORT and hazard.state == State.FOUND:
        return "尚未下达整改通知，不能报告整改完成。"
    return refused(str(hazard.get_state_display()), rule.label)


def _deadline(step: Step, *, required: bool) -> dt.date | None:
    day = to_date(step.data.get("deadline"), "整改期限", field="deadline")
    if day is None:
        if required:
            raise ApplicationError("下达整改通知时请填写整改期限。", field="deadline")
        return None
    inspected = step.obj.inspection.inspected_on
    if day < inspected:
        raise ApplicationError(f"整改期限（{day:%Y-%m-%d}）不能早于检查日期（{inspected:%Y-%m-%d}）。",
                               field="deadline")
    today = step.data["today"]
    if day < today:
        raise ApplicationError(f"整改期限（{day:%Y-%m-%d}）不能早于今天（{today:%Y-%m-%d}）。", field="deadline")
    return day


def _check_notify(step: Step) -> None:
    step.extra["deadline"] = _deadline(step, required=True)


def _notify(step: Step) -> None:
    hazard, today = step.obj, step.data["today"]
    hazard.deadline, hazard.notice_on, hazard.requirement = step.extra["deadline"], today, step.comment
    hazard.notice_no = f"整改〔{today.year}〕{hazard.pk:05d}号" + (f"-{hazard.reopen_count}" if hazard.reopen_count else "")


def _describe_notify(step: Step) -> str:
    hazard = step.obj
    text = f"{hazard.notice_no}，责任单位{hazard.responsible_unit.name}，整改期限{hazard.deadline:%Y-%m-%d}"
    return text + (f"；整改要求：{step.comment}" if step.comment else "")


def _check_report(step: Step) -> None:
    if step.data["today"] < step.obj.notice_on:
        raise ApplicationError("整改完成日期不能早于整改通知下达日期。", field="today")


def _report(step: Step) -> None:
    step.obj.rectified_on = step.data["today"]


def _schedule_revisit(hazard: Hazard, after: dt.date) -> Revisit | None:
    """The next 回头看 of this closure (cycle = times reopened), unless its rule's rounds are done."""
    rule = RevisitRule.objects.filter(domain=hazard.inspection.domain).first()
    if rule is None:
        return None
    done = Revisit.objects.filter(hazard=hazard, cycle=hazard.reopen_count).count()
    if done >= rule.rounds:
        return None
    last = Revisit.objects.filter(hazard=hazard).aggregate(n=Max("round"))["n"] or 0
    return Revisit.objects.create(hazard=hazard, round=last + 1, cycle=hazard.reopen_count, is_demo=hazard.is_demo,
                                  due_on=after + dt.timedelta(days=rule.interval_days))


def _pass(step: Step) -> None:
    hazard = step.obj
    hazard.closed_on = step.data["today"]
    revisit = _schedule_revisit(hazard, hazard.closed_on)
    step.extra["revisit"] = revisit


def _describe_pass(step: Step) -> str:
    revisit = step.extra.get("revisit")
    text = f"销号；回头看安排在{revisit.due_on:%Y-%m-%d}" if revisit else "销号"
    return text + (f"；{step.comment}" if step.comment else "")


def _check_fail(step: Step) -> None:
    step.extra["deadline"] = _deadline(step, required=False)


def _fail(step: Step) -> None:
    hazard = step.obj
    hazard.rectified_on = None
    hazard.recheck_failures += 1
    if step.extra["deadline"]:
        hazard.deadline = step.extra["deadline"]


def _describe_fail(step: Step) -> str:
    new = step.extra["deadline"]
    return f"复查不通过，退回整改：{step.comment}" + (f"；整改期限改为{new:%Y-%m-%d}" if new else "")


def _reopen(step: Step) -> None:
    hazard = step.obj
    hazard.reopen_count += 1
    hazard.deadline = hazard.rectified_on = hazard.closed_on = hazard.notice_on = None
    hazard.notice_no = ""
    # The visits planned for the closure that did not hold are moot; the next closure plans anew.
    Revisit.objects.filter(hazard=hazard, done_on__isnull=True).delete()


def _check_raise(step: Step) -> None:
    hazard, today = step.obj, step.data["today"]
    check_not_raised(step, noun="隐患")
    if hazard.level != Level.MAJOR and not hazard.is_overdue(today):
        raise ApplicationError("只有重大隐患或逾期未整改的隐患可以提请督办。", field="action")


def _raise(step: Step) -> None:
    hazard = step.obj
    inspection = hazard.inspection
    overdue = hazard.is_overdue(step.data["today"])
    reason = "重大隐患" if hazard.level == Level.MAJOR else "隐患"
    reason += f"（整改期限{hazard.deadline:%Y-%m-%d}已过）" if overdue and hazard.deadline else ""
    raise_item(step, title=f"督促整改{inspection.place[:50]}{reason[:4]}",
               source_text=f"{inspection.get_domain_display()}检查（{inspection.inspecting_unit.name}，"
                           f"{inspection.inspected_on:%Y年%m月%d日}）发现的{reason}：{hazard.description}"
                           f"\n责任单位：{hazard.responsible_unit.name}",
               lead_unit=hazard.responsible_unit_id, deadline=step.data.get("supervision_deadline"),
               source_kind="hazard", url="inspections:hazard", today=step.data["today"])


def _lock(pk: int) -> Hazard:
    return (Hazard.objects.select_for_update(of=("self",))
            .select_related("inspection__inspecting_unit", "inspection__enterprise", "inspection__village",
                            "responsible_unit").get(pk=pk))


HAZARD_FLOW = Workflow(
    model=Hazard,
    event_model=HazardEvent,
    event_fk="hazard",
    name=lambda h: f"隐患{h.pk}",
    lock=_lock,
    refusal=_refusal,
    transitions=[
        Transition(Action.NOTIFY, Action.NOTIFY.label, (State.FOUND,), State.RECTIFYING, may_recheck,
                   requires=(Requirement("deadline", "下达整改通知时请填写整改期限。"),), check=_check_notify,
                   apply=_notify, describe=_describe_notify,
                   fields=("deadline", "notice_on", "notice_no", "requirement")),
        Transition(Action.REPORT, Action.REPORT.label, (State.RECTIFYING,), State.RECHECK, may_rectify,
                   requires=(Requirement("comment", "报告整改完成时请填写整改情况。"),), check=_check_report,
                   apply=_report, fields=("rectified_on",)),
        Transition(Action.PASS, Action.PASS.label, (State.RECHECK,), State.CLOSED, may_recheck,
                   apply=_pass, describe=_describe_pass, fields=("closed_on",)),
        Transition(Action.FAIL, Action.FAIL.label, (State.RECHECK,), State.RECTIFYING, may_recheck,
                   requires=(Requirement("comment", "复查不通过时请写明存在的问题。"),), check=_check_fail,
                   apply=_fail, describe=_describe_fail, fields=("rectified_on", "recheck_failures", "deadline")),
        Transition(Action.REOPEN, Action.REOPEN.label, (State.CLOSED,), State.FOUND, may_recheck,
                   requires=(Requirement("comment", "重新整改时请写明问题反弹的情况。"),), apply=_reopen,
                   fields=("reopen_count", "deadline", "rectified_on", "closed_on", "notice_on", "notice_no")),
        Transition(Action.RAISE, Action.RAISE.label, OPEN, None, may_raise,
                   requires=(Requirement("supervision_deadline", "提请督办时请填写督办办理期限。"),),
                   check=_check_raise, apply=_raise, describe=describe_raise, fields=("supervision_item",)),
    ],
)

ACTIONS = tuple(t.action for t in HAZARD_FLOW)


def may_be_raised(hazard: Hazard, on: dt.date) -> bool:
    """提请督办 is offered for a 重大 hazard or one past its deadline, once."""
    return not hazard.supervision_item_id and (hazard.level == Level.MAJOR or hazard.is_overdue(on))


def allowed_actions(user, hazard: Hazard) -> list[str]:
    """The steps this user may take now (the page's buttons, the API's list)."""
    on = clock.today()
    return [t.action for t in HAZARD_FLOW.available(user, hazard)
            if t.action != Action.RAISE or may_be_raised(hazard, on)]


def _at(today: dt.date | None):
    if today is not None and today != clock.today():
        return timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    return None


def hazard_step(*, actor, hazard: Hazard | int, action: str, expected_version=None, today: dt.date | None = None,
                **data) -> Hazard:
    """Take one lifecycle step; a refusal raises and writes nothing. `today` dates a step taken on
    another day (the demo's history); its event is timed at noon that day."""
    if action not in HAZARD_FLOW:
        raise ApplicationError(f"未知的操作“{action}”。", field="action")
    step = HAZARD_FLOW.transition(hazard, action, actor=actor, expected_version=expected_version, at=_at(today),
                                  today=today or clock.today(), **data)
    return step.obj


# ---------------------------------------------------------------- revisits (回头看)


@transaction.atomic
def revisit_record(*, actor, revisit: Revisit | int, result: str, note: str = "",
                   today: dt.date | None = None) -> Revisit:
    """Record a 回头看: clean → the next one of the rule is planned; the problem back → the hazard
    is reopened (one transaction: the revisit and the reopening stand or fall together)."""
    pk = revisit.pk if isinstance(revisit, Revisit) else parse_id(revisit)
    revisit = (Revisit.objects.select_for_update(of=("self",)).select_related("hazard__inspection")
               .filter(pk=pk).first())
    if revisit is None:
        raise ApplicationError(f"回头看“{pk}”不存在。", field="revisit")
    hazard = revisit.hazard
    if not may_recheck(actor, hazard):
        raise PermissionDeniedError("只有检查单位可以登记回头看。")
    if revisit.done_on is not None:
        raise ConflictError(f"该回头看已于{revisit.done_on:%Y-%m-%d}登记，不能重复登记。")
    if result not in Revisit.Result.values:
        raise ApplicationError(f"回头看结果应为“未反弹”或“问题反弹”，收到“{result}”。", field="result")
    note = (note or "").strip()
    if result == Revisit.Result.BACK and not note:
        raise ApplicationError("问题反弹时请写明反弹的情况。", field="note")
    today = today or clock.today()
    if hazard.closed_on and today < hazard.closed_on:
        raise ApplicationError(f"回头看日期不能早于销号日期（{hazard.closed_on:%Y-%m-%d}）。", field="today")
    before = snapshot(revisit, ("done_on", "result", "note"))
    revisit.done_on, revisit.result, revisit.note = today, result, note
    revisit.done_by = actor if getattr(actor, "pk", None) else None
    revisit.save()
    record_change(actor=actor, obj=revisit, action=ChangeRecord.Action.UPDATE, before=before,
                  after=snapshot(revisit, ("done_on", "result", "note")), note="登记回头看")
    if result == Revisit.Result.BACK:
        hazard_step(actor=actor, hazard=hazard, action=Action.REOPEN, today=today, comment=f"回头看发现问题反弹：{note}")
    else:
        _schedule_revisit(hazard, today)
    return revisit


# ---------------------------------------------------------------- works (污染治理工程)


def _spread(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    """n planned days from start to end, evenly (the last on the end)."""
    span = (end - start).days
    return [start + dt.timedelta(days=round(span * (i + 1) / n)) for i in range(n)]


@transaction.atomic
def work_create(*, actor, data: dict, is_demo: bool = False) -> Work:
    """A work of a kind: its stages are the kind's, planned evenly up to the planned end (each
    stage's day can be moved afterwards)."""
    if not may_inspect(actor):
        raise PermissionDeniedError("只有检查单位（环保等）和系统管理员可以登记治理工程。")
    kind = pick(WorkKind.objects.all(), data.get("kind"), field="kind", label="工程类别")
    if kind is None:
        raise ApplicationError("请选择工程类别。", field="kind")
    name = _text(data, "name")
    if not name:
        raise ApplicationError("请填写工程名称。", field="name")
    lead = resolve_unit(data.get("lead_unit"), field="lead_unit", label="责任单位")
    if lead is None:
        raise ApplicationError("请选择工程的责任单位。", field="lead_unit")
    work = Work(is_demo=is_demo, kind=kind, name=name, lead_unit=lead, village=_village(data.get("village")))
    work.description = _text(data, "description")
    work.started_on = to_date(data.get("started_on"), "开工日期", field="started_on")
    if work.started_on is None:
        raise ApplicationError("请填写开工日期。", field="started_on")
    end = to_date(data.get("planned_end"), "计划完工日期", field="planned_end")
    if end is None:
        raise ApplicationError("请填写计划完工日期。", field="planned_end")
    if end <= work.started_on:
        raise ApplicationError(f"计划完工日期（{end:%Y-%m-%d}）应晚于开工日期（{work.started_on:%Y-%m-%d}）。",
                               field="planned_end")
    names = work.kind.stage_names()
    if not names:
        raise ApplicationError(f"工程类别“{work.kind.name}”没有设置阶段。", field="kind")
    validate(work)
    work.save()
    WorkStage.objects.bulk_create(WorkStage(work=work, order=i, name=name, planned_on=day)
                                  for i, (name, day) in enumerate(zip(names, _spread(work.started_on, end, len(names),
                                                                                     ), strict=True), start=1))
    record_change(actor=actor, obj=work, action=ChangeRecord.Action.CREATE,
                  after={**snapshot(work, Work.WRITABLE_FIELDS), "stages": names})
    return work


def _lock_stage(stage: WorkStage | int) -> WorkStage:
    pk = stage.pk if isinstance(stage, WorkStage) else stage
    return WorkStage.objects.select_for_update(of=("self",)).select_related("work").get(pk=pk)


@transaction.atomic
def stage_plan(*, actor, stage: WorkStage | int, planned_on, expected_version=None) -> WorkStage:
    stage = _lock_stage(stage)
    if not may_keep_work(actor, stage.work):
        raise PermissionDeniedError("只有工程的责任单位和检查单位可以修改阶段计划。")
    day = to_date(planned_on, "计划完成日期", field="planned_on")
    if day is None:
        raise ApplicationError("请填写计划完成日期。", field="planned_on")
    if day < stage.work.started_on:
        raise ApplicationError(f"计划完成日期（{day:%Y-%m-%d}）不能早于开工日期（{stage.work.started_on:%Y-%m-%d}）。",
                               field="planned_on")

    def apply():
        stage.planned_on = day

    update_record(actor=actor, obj=stage, fields=("planned_on",), apply=apply, expected_version=expected_version)
    return stage


@transaction.atomic
def stage_complete(*, actor, stage: WorkStage | int, done_on, note: str = "", files=(),
                   expected_version=None) -> WorkStage:
    """A stage done on a day, with its evidence files (core.attachments' one rule)."""
    stage = _lock_stage(stage)
    if not may_keep_work(actor, stage.work):
        raise PermissionDeniedError("只有工程的责任单位和检查单位可以登记阶段完成。")
    if stage.done_on is not None:
        raise ConflictError(f"阶段“{stage.name}”已于{stage.done_on:%Y-%m-%d}完成。")
    day = to_date(done_on, "实际完成日期", field="done_on")
    if day is None:
        raise ApplicationError("请填写实际完成日期。", field="done_on")
    if day > clock.today():
        raise ApplicationError(f"实际完成日期（{day:%Y-%m-%d}）不能晚于今天。", field="done_on")
    if day < stage.work.started_on:
        raise ApplicationError(f"实际完成日期（{day:%Y-%m-%d}）不能早于开工日期（{stage.work.started_on:%Y-%m-%d}）。",
                               field="done_on")
    files = list(files or ())
    check_attachments(files, field="files", what="佐证材料")

    def apply():
        stage.done_on, stage.note = day, (note or "").strip()

    update_record(actor=actor, obj=stage, fields=("done_on", "note"), apply=apply, expected_version=expected_version)
    for f in files:
        StageEvidence.objects.create(stage=stage, file=f, name=f.name[:200],
                                     uploaded_by=actor if getattr(actor, "pk", None) else None)
    return stage


# ---------------------------------------------------------------- configuration (the admin site)


@transaction.atomic
def config_save(*, actor, obj, model, data: dict):
    """Create or edit a checklist, a 回头看 rule or a work kind: versioned and logged. A changed
    checklist applies to inspections recorded from then on (each keeps the items it was recorded with)."""
    if actor is not None and not actor.can("inspections.configure"):
        raise PermissionDeniedError("只有系统管理员可以维护检查表、回头看规则和工程类别。")
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in model.WRITABLE_FIELDS}

    def apply(record):
        for key, value in clean.items():
            setattr(record, key, value)

    return save_record(actor=actor, obj=obj, model=model, apply=apply)
