"""Every write of the approvals register: rights, validation, one transaction, history.

A case's clocks are computed here, when it is written (clock.compute), and stored on the row;
`cases_recompute` redoes them for the cases a changed work calendar touches.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from yuanqu.core import clock as core_clock
from yuanqu.core.calendar import WorkCalendar, nth_workday_after
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import create_record, delete_record, update_record, validate
from yuanqu.org.models import OrgUnit

from . import clock
from .models import Case, Inspection, ReformBundle, Scenario, ServiceItem, Suspension

CASE_FIELDS = (*Case.WRITABLE_FIELDS, *Case.COMPUTED_FIELDS)


# ---------------------------------------------------------------- rights


def may_edit(user) -> bool:
    return user is None or user.can("approvals.edit")


def _require_edit(actor) -> None:
    if not may_edit(actor):
        raise PermissionDeniedError("只有行政审批局的审批人员和系统管理员可以维护办件和事项目录。")


def _resolve(model, value, field: str, label: str):
    """An id (API, restore from history) or the record itself (forms, import)."""
    if value in (None, "") or isinstance(value, model):
        return value or None
    pk = parse_id(value)
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApplicationError(f"{label}“{value}”不存在。", field=field)
    return found


def _set(obj, data: dict, fields) -> None:
    for key in fields:
        if key in data:
            setattr(obj, key, data[key])


# ---------------------------------------------------------------- 事项目录


def _check_item(item: ServiceItem) -> None:
    item.code, item.name = (item.code or "").strip(), (item.name or "").strip()
    if item.promised_days is not None and item.statutory_days is not None and item.promised_days > item.statutory_days:
        raise ApplicationError(f"承诺办结时限（{item.promised_days}个工作日）不能长于法定办结时限"
                               f"（{item.statutory_days}个工作日）。", field="promised_days")
    if item.kind == "promised" and item.promised_days == 0:
        raise ApplicationError("承诺件的承诺办结时限应至少 1 个工作日；当场办结的事项请选“即办件”。", field="promised_days")
    if item.kind == "instant" and item.promised_days:
        raise ApplicationError("即办件当场办结，承诺办结时限应为 0。", field="promised_days")


@transaction.atomic
def item_create(*, actor, data: dict, is_demo: bool = False) -> ServiceItem:
    _require_edit(actor)
    item = ServiceItem(is_demo=is_demo)
    _set(item, data, ServiceItem.WRITABLE_FIELDS)
    _check_item(item)
    return create_record(actor=actor, obj=item, fields=ServiceItem.WRITABLE_FIELDS)


@transaction.atomic
def item_update(*, actor, item: ServiceItem, data: dict, expected_version=None) -> ServiceItem:
    _require_edit(actor)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)

    def apply():
        _set(item, data, ServiceItem.WRITABLE_FIELDS)
        _check_item(item)

    # A changed promised limit moves the due dates of the item's cases: they are recomputed.
    if update_record(actor=actor, obj=item, fields=ServiceItem.WRITABLE_FIELDS, apply=apply,
                     expected_version=expected_version) and "promised_days" in data:
        cases_recompute(actor=actor, cases=Case.objects.filter(item=item))
    return item


@transaction.atomic
def item_delete(*, actor, item: ServiceItem) -> None:
    _require_edit(actor)
    if item.cases.exists():
        raise ApplicationError(f"事项“{item.name}”已有办件，不能删除；可改为停用。", field="code")
    delete_record(actor=actor, obj=item)


# ---------------------------------------------------------------- 改革目标


@transaction.atomic
def bundle_create(*, actor, data: dict, is_demo: bool = False) -> ReformBundle:
    _require_edit(actor)
    bundle = ReformBundle(is_demo=is_demo)
    _set(bundle, data, ReformBundle.WRITABLE_FIELDS)
    return create_record(actor=actor, obj=bundle, fields=ReformBundle.WRITABLE_FIELDS)


@transaction.atomic
def bundle_update(*, actor, bundle: ReformBundle, data: dict, expected_version=None) -> ReformBundle:
    _require_edit(actor)
    bundle = ReformBundle.objects.select_for_update().get(pk=bundle.pk)
    update_record(actor=actor, obj=bundle, fields=ReformBundle.WRITABLE_FIELDS,
                  apply=lambda: _set(bundle, data, ReformBundle.WRITABLE_FIELDS), expected_version=expected_version)
    return bundle


def _scenario_items(data: dict) -> list[ServiceItem] | None:
    if "items" not in data:
        return None
    items = [_resolve(ServiceItem, v, "items", "事项") for v in data["items"] or []]
    return items


def _check_scenario(scenario: Scenario) -> None:
    if scenario.target_days is not None and Decimal(scenario.target_days) <= 0:
        raise ApplicationError("目标时限应大于零。", field="target_days")


@transaction.atomic
def scenario_create(*, actor, bundle: ReformBundle, data: dict) -> Scenario:
    _require_edit(actor)
    scenario = Scenario(bundle=bundle)
    _set(scenario, data, [f for f in Scenario.WRITABLE_FIELDS if f != "items"])
    _check_scenario(scenario)
    validate(scenario)
    scenario.save()
    scenario.items.set(_scenario_items(data) or [])
    record_change(actor=actor, obj=scenario, action=ChangeRecord.Action.CREATE,
                  after=snapshot(scenario, ("bundle", *Scenario.WRITABLE_FIELDS)))
    return scenario


@transaction.atomic
def scenario_update(*, actor, scenario: Scenario, data: dict, expected_version=None) -> Scenario:
    _require_edit(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)

    def apply():
        _set(scenario, data, [f for f in Scenario.WRITABLE_FIELDS if f != "items"])
        _check_scenario(scenario)
        items = _scenario_items(data)
        return {"items": items} if items is not None else None

    update_record(actor=actor, obj=scenario, fields=Scenario.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return scenario


# ---------------------------------------------------------------- 办件


def _values(case: Case) -> dict:
    return {name: getattr(case, name) for name, _ in clock.EVENTS}


def _apply_case(case: Case, data: dict) -> list[clock.Pause]:
    """Set the typed fields, check the order of the dates and the suspensions, compute the clocks."""
    for key in Case.WRITABLE_FIELDS:
        if key in data and key not in ("item", "handling_unit", "suspensions_text"):
            value = data[key]
            setattr(case, key, value.strip() if isinstance(value, str) and key in ("number", "applicant") else value)
    if "item" in data:
        case.item = _resolve(ServiceItem, data["item"], "item", "事项")
    if "handling_unit" in data:
        case.handling_unit = _resolve(OrgUnit, data["handling_unit"], "handling_unit", "办理单位")
    if case.item_id is None:
        raise ApplicationError("请填写事项。", field="item")
    pauses = clock.parse_pauses(data.get("suspensions_text", case.suspensions_text))
    case.suspensions_text = clock.format_pauses(pauses)
    today = core_clock.today()
    values = _values(case)
    clock.check_dates(values, today)
    clock.check_pauses(values, pauses, today)
    _store(case, values, pauses)
    return pauses


def _store(case: Case, values: dict, pauses: list[clock.Pause], calendar: WorkCalendar | None = None) -> None:
    for key, value in clock.compute(values, pauses, case.item.promised_days, calendar).items():
        setattr(case, key, value)


def _write_pauses(case: Case, pauses: list[clock.Pause]) -> None:
    case.suspensions.all().delete()
    Suspension.objects.bulk_create(Suspension(case=case, kind=p.kind, start_on=p.start, end_on=p.end) for p in pauses)


def _inspect(actor, case: Case) -> None:
    """A decided 告知承诺 case gets its 审后核查, due so many working days after the decision."""
    if not (case.item.commitment and case.decided_on) or Inspection.objects.filter(case=case).exists():
        return
    due = nth_workday_after(case.decided_on, case.item.inspection_days)
    inspection = Inspection.objects.create(case=case, due_on=due, is_demo=case.is_demo)
    record_change(actor=actor, obj=inspection, action=ChangeRecord.Action.CREATE,
                  after=snapshot(inspection, ("case", "due_on", "outcome")), note="告知承诺办件办结，生成审后核查任务")


@transaction.atomic
def case_create(*, actor, data: dict, is_demo: bool = False) -> Case:
    _require_edit(actor)
    case = Case(is_demo=is_demo)
    pauses = _apply_case(case, data)
    create_record(actor=actor, obj=case, fields=CASE_FIELDS)
    _write_pauses(case, pauses)
    _inspect(actor, case)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, data: dict, expected_version=None) -> Case:
    _require_edit(actor)
    case = Case.objects.select_for_update().select_related("item").get(pk=case.pk)
    written = {}

    def apply():
        written["pauses"] = _apply_case(case, data)

    if update_record(actor=actor, obj=case, fields=CASE_FIELDS, apply=apply, expected_version=expected_version):
        _write_pauses(case, written["pauses"])
        _inspect(actor, case)
    return case


@transaction.atomic
def case_delete(*, actor, case: Case) -> None:
    _require_edit(actor)
    if hasattr(case, "inspection") and case.inspection.outcome != Inspection.Outcome.PENDING:
        raise ApplicationError(f"办件 {case.number} 的审后核查已有结果，不能删除。", field="number")
    delete_record(actor=actor, obj=case, fields=CASE_FIELDS)


def cases_recompute(*, actor=None, cases=None, since: dt.date | None = None) -> int:
    """Recompute the stored clocks after the work calendar (or an item's promised limit) changed:
    the cases received on or after `since` (all when None), on one calendar read for the whole span.
    Only the derived columns change, so no history is written; returns how many rows changed."""
    qs = (cases if cases is not None else Case.objects.all()).select_related("item").prefetch_related("suspensions")
    if since:
        qs = qs.filter(received_on__gte=since)
    changed = []
    with transaction.atomic():
        rows = list(qs.select_for_update(of=("self",)))
        if not rows:
            return 0
        spans = [clock.span_of(_values(c)) for c in rows]
        calendar = WorkCalendar(min(s for s, _ in spans), max(e for _, e in spans))
        for case in rows:
            pauses = [clock.Pause(s.kind, s.start_on, s.end_on) for s in case.suspensions.all()]
            before = [getattr(case, f) for f in Case.COMPUTED_FIELDS]
            _store(case, _values(case), pauses, calendar)
            if before != [getattr(case, f) for f in Case.COMPUTED_FIELDS]:
                changed.append(case)
        Case.objects.bulk_update(changed, Case.COMPUTED_FIELDS, batch_size=500)
    return len(changed)


def recompute_from(first_day: dt.date) -> int:
    """The calendar changed from `first_day` on (core.calendar.calendar_changed): recompute the
    cases whose clocks reach that day — stopped on or after it, or due on or after it."""
    touching = Case.objects.filter(Q(decided_on__gte=first_day) | Q(delivered_on__gte=first_day)
                                   | Q(due_on__gte=first_day))
    return cases_recompute(cases=touching)


# ---------------------------------------------------------------- 审后监管


@transaction.atomic
def inspection_record(*, actor, inspection: Inspection, data: dict, expected_version=None) -> Inspection:
    _require_edit(actor)
    inspection = Inspection.objects.select_for_update().select_related("case").get(pk=inspection.pk)

    def apply():
        _set(inspection, data, Inspection.WRITABLE_FIELDS)
        inspection.note = (inspection.note or "").strip()
        pending = inspection.outcome == Inspection.Outcome.PENDING
        if pending:
            inspection.checked_on, inspection.checked_by = None, None
            return
        if not inspection.checked_on:
            inspection.checked_on = core_clock.today()
        if inspection.checked_on > core_clock.today():
            raise ApplicationError("核查日期不能晚于今天。", field="checked_on")
        if inspection.checked_on < inspection.case.decided_on:
            raise ApplicationError(f"核查日期不能早于办结日期（{inspection.case.decided_on:%Y-%m-%d}）。",
                                   field="checked_on")
        if inspection.outcome == Inspection.Outcome.FAILED and not inspection.note:
            raise ApplicationError("核查不通过时请写明核查意见（发现的问题和处理）。", field="note")
        inspection.checked_by = actor if getattr(actor, "pk", None) else None

    update_record(actor=actor, obj=inspection, fields=(*Inspection.WRITABLE_FIELDS, "checked_by"), apply=apply,
                  expected_version=expected_version)
    return inspection
