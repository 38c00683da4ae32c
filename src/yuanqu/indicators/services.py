"""Every write of the indicators register: rights, validation, one transaction, history.

Definitions change by adding a caliber version (never editing one); counts change by adding a
revision (never overwriting one). A refusal names the field in Chinese and writes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import to_decimal
from yuanqu.core.services import check_version, validate
from yuanqu.org.models import OrgUnit

from . import periods
from .models import COUNTING_KINDS, Formula, IndicatorCount, IndicatorDefinition, IndicatorVersion

VERSION_FIELDS = ("unit", "caliber", "formula", "variables", "multiplier", "forbid_over", "note", "valid_from")
MAX_COUNT = Decimal("1e12")  # more than any village holds: a typo (an id card number) rather than a count

# ---------------------------------------------------------------- rights


def may_define(user, definition: IndicatorDefinition) -> bool:
    """The owner unit (and the administrator) keeps an indicator's caliber."""
    return user is None or user.can("indicators.define", unit=definition.owner_unit_id)


def may_enter(user, definition: IndicatorDefinition, unit: OrgUnit) -> bool:
    """A village enters its own counts; the owner unit enters any village's counts of its indicators."""
    return user is None or user.can("indicators.enter", unit=unit.pk) or may_define(user, definition)


# ---------------------------------------------------------------- definitions


def _resolve_unit(value, field: str, label: str) -> OrgUnit:
    if isinstance(value, OrgUnit):
        return value
    pk = parse_id(value)
    found = OrgUnit.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApplicationError(f"{label}“{value}”不存在。", field=field)
    return found


def _variables(raw) -> list[str]:
    """Variable names from a list, or one text with 、, commas or new lines between them."""
    if isinstance(raw, str):
        raw = raw.replace("，", "、").replace(",", "、").replace("\n", "、").split("、")
    return [str(v).strip() for v in (raw or []) if str(v).strip()]


def _version(definition: IndicatorDefinition, data: dict, number: int, actor, base=None) -> IndicatorVersion:
    values = {f: getattr(base, f) for f in VERSION_FIELDS} if base else {}
    values.update({f: data[f] for f in VERSION_FIELDS if f in data})
    version = IndicatorVersion(definition=definition, number=number,
                               created_by=actor if getattr(actor, "pk", None) else None, **values)
    version.variables = _variables(version.variables)
    version.unit = (version.unit or "").strip()
    version.caliber = (version.caliber or "").strip()
    version.note = (version.note or "").strip()
    if version.multiplier in (None, ""):
        version.multiplier = Decimal(1)
    if not version.caliber:
        raise ApplicationError("请填写统计口径（口径说明数据从哪里来、怎样计数）。", field="caliber")
    if not version.unit:
        raise ApplicationError("请填写计量单位（如 %、万元）。", field="unit")
    if version.formula == Formula.RATIO and len(version.variables) != 2:
        raise ApplicationError("比率指标须有且只有两个变量：分子和分母（用“、”分隔）。", field="variables")
    if version.formula == Formula.SUM and not version.variables:
        raise ApplicationError("请至少填写一个变量。", field="variables")
    if len(set(version.variables)) != len(version.variables):
        raise ApplicationError("变量名称不能重复。", field="variables")
    if version.valid_from:
        try:
            version.valid_from = periods.parse_period(version.valid_from, definition.period_kind)
        except periods.PeriodError as exc:
            raise ApplicationError(f"起用期间：{exc}。", field="valid_from") from None
    validate(version, exclude=["definition"])
    return version


@transaction.atomic
def definition_create(*, actor, data: dict, is_demo: bool = False) -> IndicatorDefinition:
    if actor is not None and not actor.can("indicators.manage"):
        raise PermissionDeniedError("只有系统管理员可以新建乡村指标。")
    definition = IndicatorDefinition(is_demo=is_demo)
    for key in IndicatorDefinition.WRITABLE_FIELDS:
        if key in data and key != "owner_unit":
            setattr(definition, key, data[key])
    if data.get("owner_unit") in (None, ""):
        raise ApplicationError("请填写数据主管单位。", field="owner_unit")
    definition.owner_unit = _resolve_unit(data["owner_unit"], "owner_unit", "数据主管单位")
    definition.code = (definition.code or "").strip()
    definition.name = (definition.name or "").strip()
    validate(definition)
    version = _version(definition, data, 1, actor)
    definition.save()
    version.definition = definition
    version.save()
    definition.current_version = version
    definition.save(update_fields=["current_version"])
    record_change(actor=actor, obj=definition, action=ChangeRecord.Action.CREATE,
                  after={**snapshot(definition, IndicatorDefinition.WRITABLE_FIELDS),
                         **snapshot(version, VERSION_FIELDS)})
    return definition


@transaction.atomic
def definition_revise(*, actor, definition: IndicatorDefinition, data: dict,
                      expected_version=None) -> IndicatorVersion | None:
    """A new caliber version (the counts entered so far keep theirs). None when nothing changed."""
    definition = IndicatorDefinition.objects.select_for_update(of=("self",)).select_related("current_version").get(
        pk=definition.pk)
    if not may_define(actor, definition):
        raise PermissionDeniedError("只有该指标的数据主管单位可以修改口径。")
    check_version(definition, expected_version)
    current = definition.current_version
    version = _version(definition, data, current.number + 1, actor, base=current)
    before, after = snapshot(current, VERSION_FIELDS), snapshot(version, VERSION_FIELDS)
    changed = [f for f in VERSION_FIELDS if f != "note" and before[f] != after[f]]
    if not changed:
        return None
    if not version.note:
        raise ApplicationError("修改口径请写明修订说明（为什么改、从哪期起用）。", field="note")
    version.save()
    definition.current_version = version
    definition.version += 1
    definition.save(update_fields=["current_version", "version", "updated_at"])
    record_change(actor=actor, obj=definition, action=ChangeRecord.Action.UPDATE,
                  before={f: before[f] for f in changed}, after={f: after[f] for f in changed},
                  note=f"口径第{version.number}版：{version.note}")
    return version


# ---------------------------------------------------------------- counts


def _counting_unit(value) -> OrgUnit:
    unit = value if isinstance(value, OrgUnit) else None
    if unit is None:
        pk = parse_id(value)
        unit = OrgUnit.objects.filter(pk=pk).first() if pk is not None else None
    if unit is None:
        raise ApplicationError(f"村/社区“{value}”不存在。", field="unit")
    if unit.kind not in COUNTING_KINDS:
        raise ApplicationError(f"“{unit.name}”不是村或社区，指标基数按村、社区填报。", field="unit")
    return unit


def check_counts(version: IndicatorVersion, raw) -> list[Decimal]:
    """The variables' values in the version's order, each a non-negative number; a ratio whose
    caliber forbids it has its numerator no larger than its denominator. Messages name the variable."""
    names = version.variables
    if isinstance(raw, dict):
        unknown = [k for k in raw if k not in names]
        if unknown:
            raise ApplicationError(f"该指标没有变量“{unknown[0]}”（变量：{'、'.join(names)}）。", field="values")
        raw = [raw.get(name) for name in names]
    raw = list(raw or [])
    if len(raw) != len(names):
        raise ApplicationError(f"应填写 {len(names)} 个数：{'、'.join(names)}。", field="values")
    values = []
    for index, (name, cell) in enumerate(zip(names, raw, strict=True)):
        try:
            value = to_decimal(cell, name, "values")
        except ApplicationError as exc:
            exc.extra["index"] = index
            raise
        if value is None:
            raise ApplicationError(f"请填写{name}。", field="values", extra={"index": index})
        if value < 0:
            raise ApplicationError(f"{name}不能为负数（填的是 {cell}）。", field="values", extra={"index": index})
        if value >= MAX_COUNT:
            raise ApplicationError(f"{name}“{cell}”过大，请核对。", field="values", extra={"index": index})
        values.append(value)
    if version.formula == Formula.RATIO and version.forbid_over and values[0] > values[1]:
        raise ApplicationError(
            f"{names[0]}（{values[0].normalize():f}）不能大于{names[1]}（{values[1].normalize():f}）：该指标的口径规定分子不超过分母。",
            field="values", extra={"index": 0})
    return values


def check_period(definition: IndicatorDefinition, raw) -> str:
    try:
        key = periods.parse_period(raw, definition.period_kind)
    except periods.PeriodError as exc:
        raise ApplicationError(f"期间：{exc}。", field="period") from None
    if periods.period_start(key) > clock.today():
        raise ApplicationError(f"期间“{periods.period_label(key)}”尚未开始，不能填报。", field="period")
    return key


def _stored(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


@transaction.atomic
def count_enter(*, actor, definition: IndicatorDefinition, unit, period, values, note: str = "",
                is_demo: bool = False) -> IndicatorCount:
    """A village's counts for a period: a new revision under the indicator's current caliber, or
    the current revision itself when nothing differs (entering the same figures twice writes nothing)."""
    definition = IndicatorDefinition.objects.select_related("current_version").get(pk=definition.pk)
    unit = _counting_unit(unit)
    if not may_enter(actor, definition, unit):
        raise PermissionDeniedError(f"只能填报本村（社区）的基数，或本单位主管指标的基数；不能填报{unit.name}的。",
                                    field="unit")
    key = check_period(definition, period)
    version = definition.current_version
    numbers = check_counts(version, values)
    stored = [_stored(v) for v in numbers]
    current = (IndicatorCount.objects.select_for_update()
               .filter(definition=definition, unit=unit, period=key, is_current=True).first())
    if current is not None and current.values == stored and current.definition_version_id == version.pk:
        return current
    last = (IndicatorCount.objects.filter(definition=definition, unit=unit, period=key)
            .aggregate(n=Max("revision"))["n"] or 0)
    if current is not None:
        IndicatorCount.objects.filter(pk=current.pk).update(is_current=False)
    count = IndicatorCount.objects.create(
        definition=definition, definition_version=version, unit=unit, period=key, values=stored,
        revision=last + 1, note=(note or "").strip()[:200], is_demo=is_demo,
        entered_by=actor if getattr(actor, "pk", None) else None)
    record_change(actor=actor, obj=count, action=ChangeRecord.Action.CREATE,
                  before={"values": current.values} if current else None,
                  after={"values": stored, "definition_version": version.number, "revision": count.revision},
                  note=f"{definition.name}：{unit.name}{periods.period_label(key)}第{count.revision}次填报")
    return count


@transaction.atomic
def count_withdraw(*, actor, count: IndicatorCount) -> None:
    """Take back a revision (an import's revert): the one before it becomes current again."""
    count = IndicatorCount.objects.select_for_update().select_related("definition", "unit").get(pk=count.pk)
    if not may_enter(actor, count.definition, count.unit):
        raise PermissionDeniedError(f"不能撤回{count.unit.name}的基数。", field="unit")
    record_change(actor=actor, obj=count, action=ChangeRecord.Action.DELETE,
                  before={"values": count.values, "revision": count.revision})
    was_current = count.is_current
    count.delete()
    if was_current:
        previous = (IndicatorCount.objects.filter(definition=count.definition, unit=count.unit, period=count.period)
                    .order_by("-revision").first())
        if previous is not None:
            IndicatorCount.objects.filter(pk=previous.pk).update(is_current=True)
