"""Live figures of the land register for the plan: area revitalised, parcels and area supplied.

Each honours its date: a revitalisation counts from its completion date, a parcel from its supply
date, so a past month's value is what the register said then. Each answers a whole list of
parameters in one query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum

from yuanqu.core.metrics import Param, register

from .areas import MU
from .models import Parcel, Revitalisation, RevitalisationMethod


def method_value(text) -> str | None:
    """A method named by its label (提升改造) or its code (upgrade)."""
    text = str(text or "").strip()
    for value, label in RevitalisationMethod.choices:
        if text in (value, str(label)):
            return value
    return None


YEAR = Param("year", "年度", "int")
METHOD = Param("method", "盘活方式（腾地拆迁、并购重组、提升改造、回购收储；不填为全部）", "str", required=False,
               exists=lambda v: method_value(v) is not None)


@register("land.area_revitalised", label="低效用地盘活面积", unit="亩", params=[YEAR, METHOD])
def area_revitalised(params_list, on: dt.date):
    """当年截至当日已完成盘活的低效用地面积（可按盘活方式）。"""
    years = {p["year"] for p in params_list}
    rows = (
        Revitalisation.objects.filter(status=Revitalisation.Status.DONE, completed_on__lte=on,
                                      completed_on__year__in=years)
        .values_list("completed_on__year", "method")
        .annotate(total=Sum("area_mu"))
    )
    sums: dict[tuple[int, str], Decimal] = {(year, method): total for year, method, total in rows}
    results = []
    for p in params_list:
        method = method_value(p.get("method")) if p.get("method") else None
        total = sum((v for (y, m), v in sums.items() if y == p["year"] and method in (None, m)), Decimal(0))
        results.append(Decimal(total).quantize(MU))
    return results


def _supplied(params_list, on: dt.date, field: str):
    years = {p["year"] for p in params_list}
    rows = dict(
        Parcel.objects.filter(supply_date__lte=on, supply_date__year__in=years)
        .values_list("supply_date__year")
        .annotate(v=Count("pk") if field == "count" else Sum("area_mu"))
    )
    return [Decimal(rows.get(p["year"]) or 0).quantize(MU) for p in params_list]


@register("land.parcels_supplied", label="供地宗数", unit="宗", params=[YEAR])
def parcels_supplied(params_list, on: dt.date):
    """当年截至当日供地的地块宗数（按供地日期）。"""
    return _supplied(params_list, on, "count")


@register("land.area_supplied", label="供地面积", unit="亩", params=[YEAR])
def area_supplied(params_list, on: dt.date):
    """当年截至当日供地的面积（按供地日期）。"""
    return _supplied(params_list, on, "area")
