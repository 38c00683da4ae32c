"""Every write on 重大项目 goes through here: rights, validation, the stage gates, history.

A project's stage is PROJECT_FLOW on core.workflow, one transition into each gate:

    待签约 ──▶ 签约 ──▶ 注册 ──▶ 供地 ──▶ 开工 ──▶ 竣工 ──▶ 投产

A step records the gate's actual date (never in the future, never before the last reached gate's
date) and its evidence; moving past a gate not reached (跳过) needs a reason, kept on the skipped
gates. Who may: the lead unit's reporters (projects.edit held for the unit or one above it) and
administrators. Leaders and the 督查室 read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from yuanqu.core import clock, handoffs
from yuanqu.core.attachments import check_attachments
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import month_start, to_date, to_decimal
from yuanqu.core.services import create_record, delete_record, update_record, validate
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.investment.models import Currency, Lead, LeadEvent
from yuanqu.investment.models import Stage as LeadStage
from yuanqu.org.models import OrgUnit, User

from .models import (
    GATES,
    ORDER,
    MonthlyReturn,
    Problem,
    ProblemCategory,
    Project,
    ProjectEvent,
    ReturnPhoto,
    Stage,
    StageEvidence,
    StageStep,
    stage_index,
)

PROJECT_FIELDS = Project.WRITABLE_FIELDS
# Foreign keys as forms, the API, the import and its revert give them: an instance or an id.
PROJECT_REFS = {"lead_unit": OrgUnit, "leader": User, "chain_node": None, "parcel": None}
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif")
# The amount two figures may differ by and still agree (the columns keep four decimals of 亿元).
TOLERANCE = Decimal("0.0001")


# ---------------------------------------------------------------- who may


def may_edit(user, project: Project) -> bool:
    """The lead unit's people (or an administrator); `None` is the system itself (demo, commands)."""
    return user is None or bool(user.is_authenticated and user.can("projects.edit", unit=project.lead_unit_id))


def _require_unit(actor, unit: OrgUnit) -> None:
    if actor is not None and not actor.can("projects.edit", unit=unit.pk):
        raise PermissionDeniedError(f"只能登记和修改本单位牵头的重大项目（牵头单位为“{unit}”）。", field="lead_unit")


def _require_edit(actor, project: Project, what: str) -> None:
    if not may_edit(actor, project):
        raise PermissionDeniedError(f"只有牵头单位“{project.lead_unit}”可以{what}。")


# ---------------------------------------------------------------- projects


def _ref_model(key: str):
    from yuanqu.chains.models import ChainNode
    from yuanqu.land.models import Parcel

    return PROJECT_REFS[key] or {"chain_node": ChainNode, "parcel": Parcel}[key]


def _resolve(model, value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    pk = parse_id(value)
    found = model._default_manager.filter(pk=pk).first() if pk else None
    if found is None:
        raise ApplicationError(f"{model._meta.verbose_name}“{value}”不存在。", field=field)
    return found


def _amount(value, label: str, field: str) -> Decimal | None:
    amount = to_decimal(value, label, field=field)
    if amount is not None and amount < 0:
        raise ApplicationError(f"{label}不能为负数。", field=field)
    return amount


def _apply_project(project: Project, data: dict) -> None:
    for key in PROJECT_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in PROJECT_REFS:
            setattr(project, key, _resolve(_ref_model(key), value, key))
        elif key == "total_investment":
            project.total_investment = _amount(value, "总投资", key)
        elif key == "fixed_investment":
            project.fixed_investment = _amount(value, "固定资产投资", key)
        else:
            setattr(project, key, (value or "").strip() if isinstance(value, str) or value is None else value)
    if project.total_investment is None:
        raise ApplicationError("请填写总投资（亿元）。", field="total_investment")
    if project.fixed_investment is not None and project.fixed_investment > project.total_investment:
        raise ApplicationError(
            f"固定资产投资（{project.fixed_investment}亿元）不能大于总投资（{project.total_investment}亿元）。",
            field="fixed_investment")
    if project.lead_unit_id is None:
        raise ApplicationError("请选择牵头单位。", field="lead_unit")


def _check_name_free(name: str, exclude_pk: int | None = None) -> None:
    clash = Project.objects.filter(name=(name or "").strip()).exclude(pk=exclude_pk).select_related("lead_unit").first()
    if clash is not None:
        raise ApplicationError(f"项目“{name}”已登记（牵头单位：{clash.lead_unit}），请勿重复登记。", field="name")


def check_plan_order(planned: dict) -> None:
    """Planned dates follow the gates' order (a gate may be left without a date)."""
    last = None
    for stage in GATES:
        day = planned.get(stage)
        if day is None:
            continue
        if last is not None and day < last[1]:
            raise ApplicationError(
                f"计划日期顺序不对：“{Stage(stage).label}”（{day:%Y-%m-%d}）早于"
                f"“{Stage(last[0]).label}”（{last[1]:%Y-%m-%d}）。", field=f"planned_{stage}")
        last = (stage, day)


def _planned_dates(raw: dict | None) -> dict:
    raw = raw or {}
    return {stage: to_date(raw.get(stage), f"{Stage(stage).label}计划日期", field=f"planned_{stage}")
            for stage in GATES if stage in raw}


@transaction.atomic
def project_create(*, actor, data: dict, planned: dict | None = None, is_demo: bool = False) -> Project:
    """Register a project and its six gates (planned dates optional, in order)."""
    project = Project(created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    data = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    if not data.get("lead_unit") and getattr(actor, "unit_id", None):
        data["lead_unit"] = actor.unit_id
    _apply_project(project, data)
    _require_unit(actor, project.lead_unit)
    _check_name_free(project.name)
    dates = _planned_dates(planned)
    check_plan_order(dates)
    validate(project)
    project.save()
    StageStep.objects.bulk_create(StageStep(project=project, stage=s, planned_on=dates.get(s)) for s in GATES)
    record_change(actor=actor, obj=project, action=ChangeRecord.Action.CREATE,
                  after={**snapshot(project, [*PROJECT_FIELDS, "stage"]),
                         **{f"planned_{s}": d.isoformat() for s, d in dates.items() if d}})
    return project


def _lock(project: Project | int) -> Project:
    pk = project.pk if isinstance(project, Project) else project
    return Project.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)


@transaction.atomic
def project_update(*, actor, project: Project, data: dict, expected_version=None, planned: dict | None = None
                   ) -> Project:
    """Edit a project's fields and, when `planned` names gates, their planned dates (plan_update)
    in the same transaction: a refused plan leaves the fields as they were."""
    project = _lock(project)
    _require_unit(actor, project.lead_unit)
    data = {k: v for k, v in data.items() if k in PROJECT_FIELDS}

    def apply():
        _apply_project(project, data)
        _require_unit(actor, project.lead_unit)  # moving it: the new unit must be one's own too
        if "name" in data:
            _check_name_free(project.name, project.pk)

    update_record(actor=actor, obj=project, fields=PROJECT_FIELDS, apply=apply, expected_version=expected_version)
    if planned:
        plan_update(actor=actor, project=project, planned=planned)
    return project


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    """Only for undoing an import batch: a project with returns, problems or a reached gate is kept."""
    project = _lock(project)
    _require_unit(actor, project.lead_unit)
    if project.stage != Stage.PLANNED or project.returns.exists() or project.problems.exists():
        raise ApplicationError(f"项目“{project}”已有阶段、月报或问题记录，不能删除。")
    delete_record(actor=actor, obj=project, fields=[*PROJECT_FIELDS, "stage"])


@transaction.atomic
def plan_update(*, actor, project: Project, planned: dict, note: str = "修改计划日期") -> list[str]:
    """Set the gates' planned dates (only the gates named); one history record on the project
    naming the changed dates. Returns the stages changed."""
    project = _lock(project)
    _require_edit(actor, project, "修改计划日期")
    steps = {s.stage: s for s in StageStep.objects.select_for_update().filter(project=project)}
    new = _planned_dates(planned)
    check_plan_order({**{s: step.planned_on for s, step in steps.items()}, **new})
    changed = [s for s, day in new.items() if steps[s].planned_on != day]
    if not changed:
        return []
    before, after = {}, {}
    for stage in changed:
        step = steps[stage]
        before[f"planned_{stage}"] = step.planned_on.isoformat() if step.planned_on else None
        step.planned_on = new[stage]
        after[f"planned_{stage}"] = step.planned_on.isoformat() if step.planned_on else None
        step.version += 1
        step.save(update_fields=["planned_on", "version", "updated_at"])
    record_change(actor=actor, obj=project, action=ChangeRecord.Action.UPDATE, before=before, after=after, note=note)
    return changed


# ---------------------------------------------------------------- stage gates


def _previous_actual(project: Project, target: str) -> tuple[str, dt.date] | None:
    """The last gate before `target` with an actual date."""
    found = None
    for step in sorted(project.steps.all(), key=lambda s: stage_index(s.stage)):
        if stage_index(step.stage) < stage_index(target) and step.actual_on:
            found = (step.stage, step.actual_on)
    return found


def _skipped(from_state: str, target: str) -> list[str]:
    return [s for s in GATES if stage_index(from_state) < stage_index(s) < stage_index(target)]


def _check_reach(step: Step) -> None:
    project, target = step.obj, step.to_state
    day = to_date(step.data.get("actual_on"), "实际日期", field="actual_on")
    if day > clock.today():
        raise ApplicationError(f"实际日期（{day:%Y-%m-%d}）不能晚于今天。", field="actual_on")
    previous = _previous_actual(project, target)
    if previous and day < previous[1]:
        raise ApplicationError(
            f"实际日期（{day:%Y-%m-%d}）不能早于上一阶段“{Stage(previous[0]).label}”的实际日期"
            f"（{previous[1]:%Y-%m-%d}）。", field="actual_on")
    skipped = _skipped(step.from_state, target)
    if skipped and not step.comment:
        names = "、".join(str(Stage(s).label) for s in skipped)
        raise ApplicationError(f"跳过“{names}”须填写跳过原因。", field="comment")
    check_attachments(step.data.get("files") or (), field="files", what="佐证材料")
    step.extra.update(day=day, skipped=skipped)


def _apply_reach(step: Step) -> None:
    """The gate's row gets its date and evidence; gates passed over keep the reason."""
    project, target = step.obj, step.to_state
    rows = {s.stage: s for s in StageStep.objects.select_for_update().filter(project=project)}
    reached = rows[target]
    reached.actual_on, reached.skipped, reached.skip_reason = step.extra["day"], False, ""
    reached.version += 1
    reached.save(update_fields=["actual_on", "skipped", "skip_reason", "version", "updated_at"])
    for stage in step.extra["skipped"]:
        row = rows[stage]
        row.skipped, row.skip_reason = True, step.comment
        row.version += 1
        row.save(update_fields=["skipped", "skip_reason", "version", "updated_at"])
    for f in step.data.get("files") or ():
        StageEvidence.objects.create(step=reached, file=f, name=f.name[:200],
                                     uploaded_by=step.actor if getattr(step.actor, "pk", None) else None)


def _describe_reach(step: Step) -> str:
    text = f"实际日期 {step.extra['day']:%Y-%m-%d}"
    if step.extra["skipped"]:
        text += "；跳过" + "、".join(str(Stage(s).label) for s in step.extra["skipped"]) + f"：{step.comment}"
    elif step.comment:
        text += f"；{step.comment}"
    files = step.data.get("files") or ()
    if files:
        text += f"；佐证材料{len(files)}个"
    return text


def _refusal(project: Project, rule: Transition) -> str:
    if stage_index(project.stage) >= stage_index(rule.target):
        return f"项目已到“{project.get_stage_display()}”阶段，不能再{rule.label}。"
    return f"当前阶段为“{project.get_stage_display()}”，不能{rule.label}。"


def _denial(project: Project, rule: Transition) -> str:
    return f"只有牵头单位“{project.lead_unit}”可以推进项目阶段。"


def reach_action(stage: str) -> str:
    return f"reach_{stage}"


PROJECT_FLOW = Workflow(
    model=Project, event_model=ProjectEvent, event_fk="project", state_field="stage",
    lock=_lock, refusal=_refusal, denial=_denial,
    transitions=[
        Transition(reach_action(stage), Stage(stage).label, tuple(ORDER[:ORDER.index(stage)]), stage, may_edit,
                   requires=(Requirement("actual_on", f"请填写{Stage(stage).label}的实际日期。"),),
                   check=_check_reach, apply=_apply_reach, describe=_describe_reach)
        for stage in GATES
    ],
)


def stage_reach(*, actor, project: Project, stage: str, actual_on, comment: str = "", files=(),
                expected_version=None) -> Project:
    """Record that the project reached `stage` on `actual_on` (skipping gates between needs `comment`)."""
    if stage not in GATES:
        raise ApplicationError(f"阶段“{stage}”不存在。", field="stage")
    return PROJECT_FLOW.transition(project, reach_action(stage), actor=actor, expected_version=expected_version,
                                   actual_on=actual_on, comment=comment, files=list(files)).obj


def next_stages(user, project: Project) -> list[str]:
    """The gates this user may record now (the next one, or a later one with a reason)."""
    return [t.target for t in PROJECT_FLOW.available(user, project)]


# ---------------------------------------------------------------- 招商线索 → 项目


def _signed_on(lead: Lead) -> dt.date:
    event = LeadEvent.objects.filter(lead=lead, action=LeadEvent.Action.SIGN).order_by("-time").first()
    # The event's time is the wall clock; core.clock's today may lag behind it (tests, a replayed demo).
    return min(timezone.localtime(event.time).date(), clock.today()) if event else clock.today()


def lead_project_data(lead: Lead) -> dict:
    """What a signed lead says of its project (the conversion form's initial values): the amount in
    亿元 when it is in 人民币, and its chain node, so the project keeps the lead's place on the chain."""
    amount = lead.amount / 10000 if lead.amount is not None and lead.currency == Currency.CNY else None
    return {"name": lead.name, "investor": lead.investor, "industry": lead.industry, "total_investment": amount,
            "lead_unit": lead.unit_id, "chain_node": lead.chain_node_id}


@transaction.atomic
def convert_lead(*, actor, lead: Lead | int, data: dict | None = None, planned: dict | None = None) -> Project:
    """A signed lead becomes a project, once: the project keeps the link and starts at 签约 on the
    day the lead was signed. `data` may complete or correct what the lead says (amount, unit …)."""
    pk = lead.pk if isinstance(lead, Lead) else parse_id(lead)
    lead = Lead.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if lead is None or (actor is not None and not Lead.objects.visible_to(actor).filter(pk=lead.pk).exists()):
        raise ApplicationError("招商线索不存在或您无权查看。", field="lead")
    existing = Project.objects.filter(lead=lead).first()
    if existing is not None:
        raise ConflictError(f"该线索已转为项目“{existing}”，不能重复转换。")
    if lead.stage != LeadStage.SIGNED:
        raise ApplicationError(f"线索当前阶段为“{lead.get_stage_display()}”，签约后才能转为项目。")
    base = {**lead_project_data(lead), "note": f"由招商线索“{lead.name}”转入"}
    project = project_create(actor=actor, data={**base, **(data or {})}, planned=planned, is_demo=lead.is_demo)
    project.lead = lead
    project.save(update_fields=["lead"])
    record_change(actor=actor, obj=project, action=ChangeRecord.Action.UPDATE, before={"lead": None},
                  after={"lead": lead.pk}, note=f"由招商线索转入：{lead.name}")
    return stage_reach(actor=actor, project=project, stage=Stage.SIGNED, actual_on=_signed_on(lead),
                       comment="招商线索签约", expected_version=project.version)


# ---------------------------------------------------------------- monthly returns (月报)


def _check_photos(files) -> None:
    check_attachments(files, field="photos", what="照片")
    for f in files:
        if not f.name.lower().endswith(IMAGE_TYPES):
            raise ApplicationError(f"照片“{f.name}”不是图片（jpg、png、gif）。", field="photos")


def current_returns(project: Project) -> dict[dt.date, MonthlyReturn]:
    """The latest version of each month's return."""
    latest: dict[dt.date, MonthlyReturn] = {}
    for r in MonthlyReturn.objects.filter(project=project).order_by("month", "version"):
        latest[r.month] = r
    return latest


def _check_cumulative(project: Project, month: dt.date, in_month: Decimal, total: Decimal) -> None:
    if in_month < 0:
        raise ApplicationError("当月完成投资不能为负数。", field="completed_month")
    if total < in_month:
        raise ApplicationError(f"累计完成投资（{total}亿元）不能小于当月完成投资（{in_month}亿元）。",
                               field="completed_total")
    earlier = [r for m, r in current_returns(project).items() if m < month]
    if earlier:
        prev = earlier[-1]
        expected = prev.completed_total + in_month
        if abs(expected - total) > TOLERANCE:
            raise ApplicationError(
                f"累计完成投资应为{prev.month:%Y年%m月}累计 {prev.completed_total.normalize():f} 亿元加当月 "
                f"{in_month.normalize():f} 亿元，即 {expected.normalize():f} 亿元，填报为 {total.normalize():f} 亿元。",
                field="completed_total")


@transaction.atomic
def return_submit(*, actor, project: Project, data: dict, photos=(), is_demo: bool = False) -> MonthlyReturn:
    """File a month's return; a second one for the same month is its correction (version N+1)."""
    project = _lock(project)
    _require_edit(actor, project, "填报项目月报")
    month = month_start(data.get("month"), "月份", field="month")
    if month > clock.today().replace(day=1):
        raise ApplicationError(f"不能填报未来月份（{month:%Y年%m月}）的月报。", field="month")
    in_month = _amount(data.get("completed_month"), "当月完成投资", "completed_month")
    total = _amount(data.get("completed_total"), "累计完成投资", "completed_total")
    if in_month is None:
        raise ApplicationError("请填写当月完成投资（亿元）。", field="completed_month")
    if total is None:
        raise ApplicationError("请填写累计完成投资（亿元）。", field="completed_total")
    progress = (data.get("progress") or "").strip()
    if not progress:
        raise ApplicationError("请填写形象进度。", field="progress")
    _check_cumulative(project, month, in_month, total)
    photos = list(photos)
    _check_photos(photos)
    version = (MonthlyReturn.objects.filter(project=project, month=month).aggregate(v=Max("version"))["v"] or 0) + 1
    report = MonthlyReturn(project=project, month=month, version=version, completed_month=in_month,
                           completed_total=total, progress=progress, is_demo=is_demo,
                           submitted_by=actor if getattr(actor, "pk", None) else None)
    create_record(actor=actor, obj=report, fields=[*MonthlyReturn.WRITABLE_FIELDS, "version"],
                  note=f"{month:%Y年%m月}月报" + (f"（更正，第{version}版）" if version > 1 else ""))
    for f in photos:
        ReturnPhoto.objects.create(report=report, file=f, name=f.name[:200])
    return report


# ---------------------------------------------------------------- problems (问题清单)


def _apply_problem(problem: Problem, data: dict) -> None:
    if "category" in data:
        problem.category = _resolve(ProblemCategory, data["category"], "category")
    if "description" in data:
        problem.description = (data["description"] or "").strip()
    if "assigned_unit" in data:
        problem.assigned_unit = _resolve(OrgUnit, data["assigned_unit"], "assigned_unit")
    if problem.category_id is None:
        raise ApplicationError("请选择问题类别。", field="category")
    if "category" in data and not problem.category.active:
        raise ApplicationError(f"问题类别“{problem.category}”已停用。", field="category")
    if not problem.description:
        raise ApplicationError("请填写问题描述。", field="description")
    if problem.assigned_unit_id is None:
        raise ApplicationError("请选择责任单位。", field="assigned_unit")


@transaction.atomic
def problem_create(*, actor, project: Project, data: dict, is_demo: bool = False) -> Problem:
    project = _lock(project)
    _require_edit(actor, project, "登记项目问题")
    problem = Problem(project=project, is_demo=is_demo, created_by=actor if getattr(actor, "pk", None) else None)
    _apply_problem(problem, {"assigned_unit": project.lead_unit_id, **data})
    return create_record(actor=actor, obj=problem, fields=[*Problem.WRITABLE_FIELDS, "status"])


def _lock_problem(problem: Problem | int) -> Problem:
    pk = problem.pk if isinstance(problem, Problem) else problem
    return Problem.objects.select_for_update(of=("self",)).select_related("project__lead_unit", "category").get(pk=pk)


@transaction.atomic
def problem_solve(*, actor, problem: Problem, solution: str, expected_version=None) -> Problem:
    problem = _lock_problem(problem)
    _require_edit(actor, problem.project, "销号项目问题")
    return _solve(actor, problem, solution, clock.today(), expected_version)


def _solve(actor, problem: Problem, solution: str, solved_on: dt.date, expected_version=None) -> Problem:
    if problem.status == Problem.Status.SOLVED:
        raise ApplicationError("该问题已解决。")
    solution = (solution or "").strip()
    if not solution:
        raise ApplicationError("请填写解决情况。", field="solution")

    def apply():
        problem.status = Problem.Status.SOLVED
        problem.solution = solution
        problem.solved_on = solved_on

    update_record(actor=actor, obj=problem, fields=("status", "solution", "solved_on"), apply=apply,
                  expected_version=expected_version, note="问题解决")
    return problem


def problem_url(problem: Problem) -> str:
    return reverse("projects:detail", args=[problem.project_id]) + f"#problem-{problem.pk}"


@transaction.atomic
def problem_raise(*, actor, problem: Problem, data: dict, expected_version=None) -> Problem:
    """提请领导协调: the problem becomes a 督办单 (立项) led by its assigned unit, linked both ways."""
    problem = _lock_problem(problem)
    _require_edit(actor, problem.project, "提请领导协调")
    if problem.item_id:
        raise ConflictError("该问题已提请协调，不能重复提请。")
    if problem.status == Problem.Status.SOLVED:
        raise ApplicationError("该问题已解决，无需提请协调。")
    project = problem.project
    item_data = {
        "title": f"协调解决“{project.name[:60]}”{problem.category}问题",
        "source_text": f"重大项目“{project.name}”（牵头单位：{project.lead_unit}）{problem.category}问题："
                       f"{problem.description}",
        "lead_unit": problem.assigned_unit_id,
        "deadline": data.get("deadline"),
        "time_limit": data.get("time_limit"),
        "day_type": data.get("day_type") or "calendar",
        "requirement": data.get("requirement") or "",
    }
    item = handoffs.ask("supervision.raise_item", actor=actor, data=item_data, source_kind="project_problem",
                        source_url=problem_url(problem), is_demo=problem.is_demo)

    def apply():
        problem.item = item
        problem.status = Problem.Status.RAISED

    update_record(actor=actor, obj=problem, fields=("item", "status"), apply=apply,
                  expected_version=expected_version, note=f"提请领导协调：{item.number}")
    return problem


def _close_raised_problem(*, item, actor) -> None:
    """A 督办单 raised from a problem is 办结: the problem is solved with the item's result."""
    found = Problem.objects.filter(item=item).exclude(status=Problem.Status.SOLVED).values_list("pk", flat=True)
    for pk in found:  # at most one (the link is one-to-one); the 督查室's 办结 is the solving act
        _solve(actor, _lock_problem(pk), item.result or f"督办单{item.number}已办结", item.closed_on or clock.today())


def listen_for_closed_items() -> None:
    handoffs.listen("supervision.item_closed", _close_raised_problem)
