"""Spreadsheet import of counts: one row per indicator, village or community and period, one
column per variable (the variables of every indicator's caliber in force, by name).

A row is matched to the village-period's current counts: equal counts change nothing (a second
import of the same file writes nothing); different ones become a new revision (services.count_enter)
that a revert withdraws, making the earlier revision current again. Every rule of the form is
checked per row before anything is written: an unknown indicator, village or period, a negative
count, a numerator larger than its denominator where the caliber forbids it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports import (
    CellError,
    DecimalColumn,
    ForeignKeyColumn,
    Importer,
    NotCompared,
    TextColumn,
    register,
)
from yuanqu.core.imports.columns import text_of
from yuanqu.org.models import OrgUnit

from . import periods, services
from .models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition


# The columns of the row's key name the record; they never change it.
class IndicatorColumn(NotCompared, ForeignKeyColumn):
    pass


class VillageColumn(NotCompared, ForeignKeyColumn):
    def candidates(self):
        for unit in OrgUnit.objects.filter(kind__in=COUNTING_KINDS):
            for name in (unit.name, unit.short_name):
                yield text_of(name), unit

    def parse(self, raw, ctx):
        try:
            return super().parse(raw, ctx)
        except CellError:
            raise CellError(f"“{text_of(raw)}”不是系统中的村或社区") from None

    def allowed(self):
        return "已有村或社区的名称或简称"


class PeriodColumn(NotCompared, TextColumn):
    pass


class VariableColumn(DecimalColumn):
    """One variable's count: compared with the current revision's value of the same name."""

    def current(self, obj):
        return obj.value_of(self.header) if obj is not None else None


class CountState:
    """A village-period's current counts of one indicator, as a row of the file is compared with."""

    def __init__(self, count: IndicatorCount):
        self.count = count
        self.values = dict(zip(count.definition_version.variables, count.values, strict=False))

    def value_of(self, name: str):
        value = self.values.get(name)
        return None if value is None else Decimal(value)


def variable_field(name: str) -> str:
    return f"var:{name}"


@register
class CountImporter(Importer):
    key = "indicators.counts"
    title = "乡村指标基数"
    model = IndicatorCount
    natural_key = "definition"
    notes = ("每行是一个指标在一个村（社区）一个期间的基数，只填该指标的变量列；比率由平台计算，不填百分比。"
             "与现有基数相同的行不变，不同的记为新的填报版本（原有版本保留）。期间写法：年度 2026；季度 2026Q1；月度 2026-03。")

    @cached_property
    def definitions(self) -> list[IndicatorDefinition]:
        return list(IndicatorDefinition.objects.select_related("current_version"))

    @cached_property
    def columns(self):
        columns = [
            IndicatorColumn("指标", "definition", required=True, model=IndicatorDefinition, lookup=("code", "name"),
                            sample="参保率", help="指标名称或代码"),
            VillageColumn("村/社区", "unit", required=True, model=OrgUnit, lookup=("name", "short_name"),
                          sample="三南村"),
            PeriodColumn("期间", "period", required=True, max_length=20, sample="2026"),
        ]
        seen = set()
        for definition in self.definitions:
            for name in definition.current_version.variables:
                if name not in seen:
                    seen.add(name)
                    columns.append(VariableColumn(name, variable_field(name), help=f"{definition.name}的变量"))
        return columns

    # -- a row's key: the indicator, the village and the period as written, resolved once per import

    def key_of(self, cells):
        parts = [text_of(cells.get(f)) for f in ("definition", "unit", "period")]
        return "｜".join(parts) if all(parts) else ""

    def _resolve(self, key: str):
        name, unit_name, period = key.split("｜")
        definition = next((d for d in self.definitions if name in (d.code, d.name)), None)
        if definition is None:
            return None
        try:
            return definition, unit_name, periods.parse_period(period, definition.period_kind)
        except periods.PeriodError:
            return None

    def existing(self, keys):
        resolved = {key: found for key in keys if (found := self._resolve(key))}
        if not resolved:
            return {}
        names = {u for _, u, _ in resolved.values()}
        units = {}
        for unit in OrgUnit.objects.filter(Q(name__in=names) | Q(short_name__in=names), kind__in=COUNTING_KINDS):
            units.setdefault(unit.short_name, unit)
            units[unit.name] = unit  # a full name wins over a short name that happens to equal it
        counts = IndicatorCount.objects.filter(
            is_current=True, definition__in={d.pk for d, _, _ in resolved.values()},
            unit__in=[u.pk for u in units.values()], period__in={p for _, _, p in resolved.values()},
        ).select_related("definition_version")
        by_triple = {(c.definition_id, c.unit_id, c.period): c for c in counts}
        found = {}
        for key, (definition, unit_name, period) in resolved.items():
            unit = units.get(unit_name)
            count = by_triple.get((definition.pk, unit.pk if unit else None, period))
            if count is not None:
                found[key] = CountState(count)
        return found

    # -- the rules, per row, before anything is written

    def check_row(self, plan, ctx):
        definition: IndicatorDefinition = plan.values["definition"]
        version = definition.current_version
        try:
            plan.values["period"] = services.check_period(definition, plan.values["period"])
        except ApplicationError as exc:
            return [("period", exc.message.removeprefix("期间："))]
        own = {variable_field(n) for n in version.variables}
        stray = [f for f in plan.values if f.startswith("var:") and f not in own]
        if stray:
            return [(stray[0], f"指标“{definition.name}”没有这一项，请留空（该指标的变量：{'、'.join(version.variables)}）")]
        current = plan.obj.values if plan.obj else {}
        raw = [plan.values.get(variable_field(n), current.get(n)) for n in version.variables]
        missing = [n for n, v in zip(version.variables, raw, strict=True) if v is None]
        if missing:
            return [(variable_field(missing[0]), "必填，不能为空")]
        try:
            services.check_counts(version, raw)
        except ApplicationError as exc:
            return [(variable_field(version.variables[exc.extra.get("index", 0)]), exc.message)]
        return []

    def _values(self, definition, values, current=None):
        names = definition.current_version.variables
        current = current or {}
        return [values.get(variable_field(n), current.get(n)) for n in names]

    def create(self, *, actor, values):
        definition = values["definition"]
        return services.count_enter(actor=actor, definition=definition, unit=values["unit"],
                                    period=values["period"], values=self._values(definition, values))

    def update(self, *, actor, obj: CountState, values):
        count = obj.count
        return services.count_enter(actor=actor, definition=count.definition, unit=count.unit,
                                    period=count.period, values=self._values(count.definition, values, obj.values))

    def undo_create(self, *, actor, obj):
        services.count_withdraw(actor=actor, count=obj)
