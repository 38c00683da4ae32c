"""Live figures of the clean-up register for the plan: 僵尸企业处置数, 散乱污整治数 and the land the
clean-up released (盘活土地面积). A case counts from its completion date, so a past month's value is
what the register said then; each answers a whole list of parameters in one query.

The land released on a parcel is also recorded by the land register as a done revitalisation (the
hand-off in services), so `land.area_revitalised` — the zone's whole 盘活 figure — includes it;
`cleanup.land_released` is the clean-up's own share, parcel or not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from yuanqu.core.metrics import Param, register

from .models import Case, Category, State

YEAR = Param("year", "年度", "int")


def _done(params_list, on: dt.date, *, category: str | None = None, total: str = "count") -> list[Decimal]:
    years = {p["year"] for p in params_list}
    qs = Case.objects.filter(state=State.DONE, completed_on__lte=on, completed_on__year__in=years)
    if category:
        qs = qs.filter(category=category)
    rows = dict(qs.annotate(y=ExtractYear("completed_on")).values("y")
                .annotate(v=Count("pk") if total == "count" else Sum("land_released_mu"))
                .values_list("y", "v").order_by())
    quantum = Decimal("1") if total == "count" else Decimal("0.01")
    return [Decimal(rows.get(p["year"]) or 0).quantize(quantum) for p in params_list]


@register("cleanup.zombie_disposed", label="僵尸企业处置数", unit="家", params=[YEAR])
def zombie_disposed(params_list, on: dt.date):
    """当年截至当日处置完成的僵尸企业数（按处置完成日期）。"""
    return _done(params_list, on, category=Category.ZOMBIE)


@register("cleanup.scattered_rectified", label="散乱污整治数", unit="家", params=[YEAR])
def scattered_rectified(params_list, on: dt.date):
    """当年截至当日整治完成的散乱污企业数（按处置完成日期）。"""
    return _done(params_list, on, category=Category.SCATTERED)


@register("cleanup.land_released", label="盘活土地面积（企业清理）", unit="亩", params=[YEAR])
def land_released(params_list, on: dt.date):
    """当年截至当日处置完成的僵尸企业、散乱污企业释放的土地面积。"""
    return _done(params_list, on, total="area")
