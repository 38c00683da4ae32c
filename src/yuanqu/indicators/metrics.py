"""The zone's value of an indicator, for the plan: a target such as “参保率保持在99%以上” binds to
`indicators.value` with the indicator's code and reads the rate computed from the villages' counts
(the ratio of the sums), never a typed percentage. It honours the date: the counts entered by then."""

from __future__ import annotations

import datetime as dt

from yuanqu.core.metrics import Param, register

from . import selectors
from .models import IndicatorDefinition

CODE = Param("code", "指标代码或名称（如 insured_rate、参保率）", "str",
             exists=lambda v: IndicatorDefinition.objects.filter(code=v).exists()
             or IndicatorDefinition.objects.filter(name=v).exists())
YEAR = Param("year", "年度", "int")


@register("indicators.value", label="乡村指标的园区值", unit="按指标口径（%、万元…）", params=[CODE, YEAR])
def zone_value(params_list, on: dt.date):
    """该年度最近一期、截至当日已填报的各村（社区）基数汇总后计算的园区值：比率为分子之和除以分母之和；
    分母为零或尚无填报时无值。"""
    names = {str(p["code"]) for p in params_list}
    defs = [d for d in IndicatorDefinition.objects.select_related("current_version")
            if d.code in names or d.name in names]
    by_name = {**{d.name: d for d in defs}, **{d.code: d for d in defs}}
    values = selectors.zone_by_year(defs, {int(p["year"]) for p in params_list}, on)
    results = []
    for p in params_list:
        d = by_name.get(str(p["code"]))
        results.append(values.get((d.pk, int(p["year"]))) if d else None)
    return results
