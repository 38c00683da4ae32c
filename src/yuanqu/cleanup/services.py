"""Every write of the clean-up register: rights, validation, one transaction, history.

A case's lifecycle is a transition table on core.workflow (CASE_FLOW):

    (candidate) --认定--> 已认定 --开始处置--> 处置中 --处置完成--> 已处置
    (candidate) --排除--> 已排除 --重新认定--> 已认定

认定 and 排除 create the case (`case_decide`, a reason required); 开始处置 needs the disposal method
and the responsible unit; 处置完成 needs every step done and, when land is released on a parcel,
asks the land register to record it as revitalised (core.handoffs "land.record_revitalisation"), so
the land register's 盘活面积 counts it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yuanqu.core import clock, handoffs
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.ids import parse_id
from yuanqu.core.parsing import to_date, to_decimal
from yuanqu.core.services import create_record, delete_record, save_record, update_record, whole_number_in
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.enterprises.models import Enterprise, Indicator
from yuanqu.org.services import resolve_unit

from . import criteria, selectors
from .models import Action, Case, CaseEvent, CaseStep, Category, Criterion, Method, State

# The land register's 盘活方式 each disposal method releases land by.
LAND_METHOD = {Method.MERGE: "merge", Method.BANKRUPTCY: "buyback", Method.CLOSE: "clear", Method.RECTIFY: "upgrade"}

# ---------------------------------------------------------------- rights


def may_manage(user, case: Case | None = None) -> bool:
    return user is None or user.can("cleanup.manage")


def may_handle(user, case: Case) -> bool:
    """The 经发局 / 生态环境 unit, or the unit the case is assigned to."""
    return may_manage(user) or (case.unit_id is not None and user.can("cleanup.handle", unit=case.unit_id))


def _require_manage(actor, message: str = "只有经发局和生态环境部门可以认定和处置企业清理案件。") -> None:
    if not may_manage(actor):
        raise PermissionDeniedError(message)


# ---------------------------------------------------------------- criteria (the admin site)


def _set_criterion(criterion: Criterion, data: dict) -> None:
    for key in Criterion.WRITABLE_FIELDS:
        if key in data:
            value = data[key]
            setattr(criterion, key, value.strip() if isinstance(value, str) else value)
    if criterion.category not in Category.values:
        raise ApplicationError(f"清理类别“{criterion.category}”不正确，应为僵尸企业或散乱污企业。", field="category")
    if not (criterion.name or "").strip():
        raise ApplicationError("请填写标准名称。", field="name")
    if criterion.kind not in criteria.KINDS:
        raise ApplicationError(f"判定方式“{criterion.kind}”不正确。", field="kind")
    raw_years = criterion.years
    years = whole_number_in(raw_years, 1, 10)
    if years is None:
        raise ApplicationError(f"连续年数应为 1–10 的整数，收到“{raw_years}”。", field="years")
    criterion.years = years
    if criterion.kind in ("figure", "no_figure"):
        if not criterion.indicator:
            raise ApplicationError("请填写年度指标代码（如 value_added、tax_paid）。", field="indicator")
        if not Indicator.objects.filter(key=criterion.indicator).exists():
            known = "、".join(Indicator.objects.order_by("order").values_list("key", flat=True))
            raise ApplicationError(f"年度指标“{criterion.indicator}”不存在；可用的指标代码：{known}。",
                                   field="indicator")
    if criterion.kind == "figure":
        if criterion.comparator not in Criterion.Comparator.values:
            raise ApplicationError("请选择比较方式（小于、小于等于、等于、大于等于、大于）。", field="comparator")
        criterion.threshold = to_decimal(criterion.threshold, "门槛值", field="threshold")
        if criterion.threshold is None:
            raise ApplicationError("请填写门槛值。", field="threshold")
    if criterion.kind == "missing_field" and criterion.field not in criteria.FIELDS:
        names = "、".join(f"{k}（{v}）" for k, v in criteria.FIELDS.items())
        raise ApplicationError(f"企业信息字段“{criterion.field}”不正确，应为：{names}。", field="field")


@transaction.atomic
def criterion_save(*, actor, criterion: Criterion | None, data: dict) -> Criterion:
    """Create or edit an identification criterion; a bad one is refused naming the field."""
    if actor is not None and not actor.can("cleanup.manage"):
        raise PermissionDeniedError("只有经发局、生态环境部门和系统管理员可以维护认定标准。")
    return save_record(actor=actor, obj=criterion, model=Criterion, apply=lambda c: _set_criterion(c, data))


# ---------------------------------------------------------------- deciding a candidate


def _enterprise(value) -> Enterprise:
    if isinstance(value, Enterprise):
        return value
    pk = parse_id(value)
    found = Enterprise.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApplicationError(f"企业“{value}”不存在。" if value not in (None, "") else "请选择企业。",
                               field="enterprise")
    return found


@transaction.atomic
def case_decide(*, actor, enterprise, category: str, decision: str, reason: str, year: int | None = None,
                unit=None, is_demo: bool = False, today: dt.date | None = None) -> Case:
    """认定 (confirm) or 排除 (dismiss) a candidate for a year, with the reason; the criteria it meets
    are kept on the case as they were found."""
    _require_manage(actor)
    today = today or clock.today()
    enterprise = _enterprise(enterprise)
    if category not in Category.values:
        raise ApplicationError(f"清理类别“{category}”不正确，应为僵尸企业或散乱污企业。", field="category")
    if decision not in ("confirm", "dismiss"):
        raise ApplicationError(f"处理结果“{decision}”不正确，应为认定（confirm）或排除（dismiss）。", field="decision")
    verb = "认定" if decision == "confirm" else "排除"
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(f"{verb}时请填写{verb}理由。", field="reason")
    year = selectors.default_year(today) if year in (None, "") else year
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ApplicationError(f"评估年度应为四位年份，收到“{year}”。", field="year") from None
    if not 1990 <= year <= 2100:
        raise ApplicationError(f"评估年度应为四位年份，收到“{year}”。", field="year")
    if Case.objects.filter(enterprise=enterprise, category=category, year=year).exists():
        raise ConflictError(f"{enterprise.name}{year}年已作为{Category(category).label}处理过，不能重复认定或排除。")
    found = selectors.criteria_met(enterprise, category, year)
    if not found:
        raise ApplicationError(f"{enterprise.name}{year}年不符合任何{Category(category).label}认定标准，不在候选名单中。",
                               field="enterprise")
    case = Case(enterprise=enterprise, category=category, year=year, reason=reason, decided_on=today,
                decided_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
                state=State.CONFIRMED if decision == "confirm" else State.DISMISSED,
                criteria_met=[{"criterion": m.criterion, "name": m.name, "detail": m.detail} for m in found[0].met])
    if unit not in (None, ""):
        case.unit = resolve_unit(unit, field="unit", label="责任单位")
    return create_record(actor=actor, obj=case,
                         fields=("enterprise", "category", "year", "state", "reason", "unit"), note=f"{verb}：{reason}")


@transaction.atomic
def case_withdraw(*, actor, case: Case) -> None:
    """Undo a decision (an import's revert): the case goes, with a change record, unless its
    disposal has started."""
    _require_manage(actor)
    case = _lock(case.pk)
    if case.state not in (State.CONFIRMED, State.DISMISSED) or case.steps.exists():
        raise ApplicationError(f"{case}已开始处置，不能撤销。")
    delete_record(actor=actor, obj=case,
                  fields=("enterprise", "category", "year", "state", "reason", "method", "unit", "note"))


# ---------------------------------------------------------------- disposal details


def _set_case(case: Case, data: dict) -> None:
    if "method" in data:
        method = data["method"] or ""
        if method and method not in Method.values:
            labels = "、".join(str(label) for label in Method.labels)
            raise ApplicationError(f"处置方式“{method}”不正确，应为：{labels}。", field="method")
        case.method = method
    if "unit" in data:
        case.unit = resolve_unit(data["unit"], field="unit", label="责任单位")
    if "note" in data:
        case.note = (data["note"] or "").strip()
    if "parcel" in data:
        parcel = data["parcel"]
        if parcel in (None, ""):
            case.parcel = None
        else:
            pk = parcel.pk if hasattr(parcel, "pk") else parse_id(parcel)
            found = case.enterprise.parcels.filter(pk=pk).first() if pk is not None else None
            if found is None:
                raise ApplicationError(f"地块“{parcel}”不是{case.enterprise.name}名下的地块。", field="parcel")
            case.parcel = found
    if "land_released_mu" in data:
        case.land_released_mu = to_decimal(data["land_released_mu"], "释放土地（亩）", field="land_released_mu")
    _check_land(case)


def _check_land(case: Case) -> None:
    land = case.land_released_mu
    if land is None:
        return
    if land < 0:
        raise ApplicationError("释放土地（亩）不能为负数。", field="land_released_mu")
    area = case.enterprise.land_mu
    if land > 0 and area is None:
        raise ApplicationError(f"{case.enterprise.name}未登记用地面积，不能登记释放土地；请先在企业名录中填写用地面积。",
                               field="land_released_mu")
    if area is not None and land > area:
        raise ApplicationError(f"释放土地 {land} 亩超过企业用地面积 {area} 亩。", field="land_released_mu")
    if case.parcel_id and land > case.parcel.area_mu:
        raise ApplicationError(f"释放土地 {land} 亩超过地块 {case.parcel.code} 的面积 {case.parcel.area_mu} 亩。",
                               field="land_released_mu")


def _lock(pk: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("enterprise", "unit", "parcel").get(pk=pk)


@transaction.atomic
def case_update(*, actor, case: Case, data: dict, expected_version=None) -> Case:
    """The disposal details: method, responsible unit, land released (and its parcel), note."""
    case = _lock(case.pk)
    _require_manage(actor)
    if case.state in (State.DISMISSED, State.DONE):
        raise ApplicationError(f"案件状态为“{case.get_state_display()}”，不能修改处置信息。", field="state")
    update_record(actor=actor, obj=case, fields=Case.WRITABLE_FIELDS, apply=lambda: _set_case(case, data),
                  expected_version=expected_version)
    return case


# ---------------------------------------------------------------- steps


def _check_order(case: Case, step: CaseStep, today: dt.date) -> None:
    """Planned dates run in the steps' order; a step is done neither in the future nor before the case
    was confirmed."""
    if step.planned_on < case.decided_on:
        raise ApplicationError(f"步骤“{step.title}”的计划完成日期（{step.planned_on:%Y-%m-%d}）早于认定日期"
                               f"（{case.decided_on:%Y-%m-%d}）。", field="planned_on")
    others = [s for s in case.steps.all() if s.pk != step.pk]
    before = [s for s in others if s.order < step.order]
    after = [s for s in others if s.order > step.order]
    if before:
        prev = max(before, key=lambda s: s.order)
        if step.planned_on < prev.planned_on:
            raise ApplicationError(f"步骤“{step.title}”的计划完成日期（{step.planned_on:%Y-%m-%d}）早于上一步"
                                   f"“{prev.title}”的计划完成日期（{prev.planned_on:%Y-%m-%d}）。", field="planned_on")
    if after:
        nxt = min(after, key=lambda s: s.order)
        if step.planned_on > nxt.planned_on:
            raise ApplicationError(f"步骤“{step.title}”的计划完成日期（{step.planned_on:%Y-%m-%d}）晚于下一步"
                                   f"“{nxt.title}”的计划完成日期（{nxt.planned_on:%Y-%m-%d}）。", field="planned_on")
    if step.done_on is not None:
        if step.done_on > today:
            raise ApplicationError(f"步骤“{step.title}”的实际完成日期（{step.done_on:%Y-%m-%d}）不能晚于今天。",
                                   field="done_on")
        if step.done_on < case.decided_on:
            raise ApplicationError(f"步骤“{step.title}”的实际完成日期（{step.done_on:%Y-%m-%d}）早于认定日期"
                                   f"（{case.decided_on:%Y-%m-%d}）。", field="done_on")


def _set_step(step: CaseStep, data: dict) -> None:
    if "title" in data:
        step.title = (data["title"] or "").strip()
    if "planned_on" in data:
        step.planned_on = to_date(data["planned_on"], "计划完成日期", field="planned_on")
    if "done_on" in data:
        step.done_on = to_date(data["done_on"], "实际完成日期", field="done_on")
    if "note" in data:
        step.note = (data["note"] or "").strip()
    if not step.title:
        raise ApplicationError("请填写步骤名称。", field="title")
    if step.planned_on is None:
        raise ApplicationError("请填写计划完成日期。", field="planned_on")


def _require_open(case: Case) -> None:
    if case.state not in (State.CONFIRMED, State.DISPOSING):
        raise ApplicationError(f"案件状态为“{case.get_state_display()}”，不能登记处置步骤。", field="state")


@transaction.atomic
def step_add(*, actor, case: Case, data: dict, today: dt.date | None = None) -> CaseStep:
    case = _lock(case.pk)
    _require_manage(actor, "只有经发局和生态环境部门可以安排处置步骤。")
    _require_open(case)
    order = (case.steps.aggregate(n=Max("order"))["n"] or 0) + 1
    step = CaseStep(case=case, order=order)
    _set_step(step, data)
    _check_order(case, step, today or clock.today())
    return create_record(actor=actor, obj=step, fields=("case", "order", *CaseStep.WRITABLE_FIELDS))


@transaction.atomic
def step_update(*, actor, step: CaseStep, data: dict, expected_version=None, today: dt.date | None = None) -> CaseStep:
    """The 经发局 / 生态环境 unit edit a step; the responsible unit records when it was done."""
    step = CaseStep.objects.select_for_update().select_related("case").get(pk=step.pk)
    case = step.case
    if not may_handle(actor, case):
        raise PermissionDeniedError("只能登记本单位承办案件的处置步骤。")
    _require_open(case)
    if not may_manage(actor) and set(data) - {"done_on", "note"}:
        raise PermissionDeniedError("责任单位只能登记步骤的完成日期和说明；调整步骤请联系经发局或生态环境部门。")

    def apply():
        _set_step(step, data)
        _check_order(case, step, today or clock.today())

    update_record(actor=actor, obj=step, fields=CaseStep.WRITABLE_FIELDS, apply=apply, expected_version=expected_version)
    return step


# ---------------------------------------------------------------- the lifecycle


def _check_start(step: Step) -> None:
    case = step.obj
    if not case.method:
        raise ApplicationError("开始处置前请选择处置方式。", field="method")
    if case.unit_id is None:
        raise ApplicationError("开始处置前请选择责任单位。", field="unit")


def _check_complete(step: Step) -> None:
    case = step.obj
    open_steps = [s.title for s in case.steps.all() if s.done_on is None]
    if open_steps:
        raise ApplicationError(f"还有 {len(open_steps)} 个处置步骤未完成（{'、'.join(open_steps[:5])}），不能办结。",
                               field="steps")
    done_on = to_date(step.data.get("completed_on"), "处置完成日期", field="completed_on") or step.data["today"]
    if done_on > step.data["today"]:
        raise ApplicationError(f"处置完成日期（{done_on:%Y-%m-%d}）不能晚于今天。", field="completed_on")
    if done_on < case.decided_on:
        raise ApplicationError(f"处置完成日期（{done_on:%Y-%m-%d}）早于认定日期（{case.decided_on:%Y-%m-%d}）。",
                               field="completed_on")
    last = max((s.done_on for s in case.steps.all()), default=None)
    if last and done_on < last:
        raise ApplicationError(f"处置完成日期（{done_on:%Y-%m-%d}）早于最后一个步骤的完成日期（{last:%Y-%m-%d}）。",
                               field="completed_on")
    step.extra["completed_on"] = done_on


def _complete(step: Step) -> None:
    """Date it; land released on a parcel goes to the land register as a done revitalisation."""
    case = step.obj
    case.completed_on = step.extra["completed_on"]
    if case.parcel_id and case.land_released_mu and Decimal(case.land_released_mu) > 0:
        case.revitalisation = handoffs.ask(
            "land.record_revitalisation", actor=step.actor, parcel=case.parcel, area_mu=case.land_released_mu,
            method=LAND_METHOD[case.method], completed_on=case.completed_on, is_demo=case.is_demo,
            cause=f"{case.get_category_display()}清理（{case.get_method_display()}）：{case.enterprise.name}"[:200])


def _describe_complete(step: Step) -> str:
    case = step.obj
    land = f"，释放土地 {case.land_released_mu} 亩" if case.land_released_mu else ""
    return f"{case.get_method_display()}完成{land}" + (f"：{step.comment}" if step.comment else "")


CASE_FLOW = Workflow(
    model=Case,
    event_model=CaseEvent,
    event_fk="case",
    name=lambda c: f"清理案件{c.pk}",
    lock=_lock,
    transitions=[
        Transition(Action.START, Action.START.label, (State.CONFIRMED,), State.DISPOSING, may_manage,
                   check=_check_start),
        Transition(Action.COMPLETE, Action.COMPLETE.label, (State.DISPOSING,), State.DONE, may_manage,
                   check=_check_complete, apply=_complete, describe=_describe_complete,
                   fields=("completed_on", "revitalisation")),
        Transition(Action.REOPEN, Action.REOPEN.label, (State.DISMISSED,), State.CONFIRMED, may_manage,
                   requires=(Requirement("comment", "重新认定时请填写认定理由。"),)),
    ],
)


def allowed_actions(user, case: Case) -> list[str]:
    return [t.action for t in CASE_FLOW.available(user, case)]


def case_step(*, actor, case: Case | int, action: str, expected_version=None, today: dt.date | None = None,
              **data) -> Case:
    """Take one lifecycle step; a refusal raises and writes nothing."""
    if action not in CASE_FLOW:
        raise ApplicationError(f"未知的操作“{action}”。", field="action")
    at = None
    if today is not None and today != clock.today():
        at = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    return CASE_FLOW.transition(case, action, actor=actor, expected_version=expected_version, at=at,
                                today=today or clock.today(), **data).obj
