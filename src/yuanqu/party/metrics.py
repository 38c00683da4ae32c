"""Live figures of the Party register for the plan: organisations assessed 达标 (示范 included:
示范 is above 达标) and 示范 in a year, as reviewed by a date — bound in the demo to the seed's
“确保全区92个基层党组织全部达标” and “7个基层党组织创建示范党组织”."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q

from yuanqu.core.metrics import Param, register

from .models import PASSED, Assessment, Result, State

YEAR = Param("year", "年度", "int")


def _counts(params_list, on: dt.date, results) -> list[Decimal]:
    years = {p["year"] for p in params_list}
    rows = dict(Assessment.objects.filter(year__in=years, state=State.REVIEWED, reviewed_on__lte=on,
                                          organisation__is_active=True)
                .values("year").annotate(n=Count("pk", filter=Q(result__in=results)))
                .values_list("year", "n").order_by())
    return [Decimal(rows.get(p["year"], 0)) for p in params_list]


@register("party.standard_met", label="规范化建设达标的基层党组织", unit="个", params=[YEAR])
def standard_met(params_list, on: dt.date):
    return _counts(params_list, on, PASSED)


@register("party.exemplary", label="示范党组织", unit="个", params=[YEAR])
def exemplary(params_list, on: dt.date):
    return _counts(params_list, on, (Result.EXEMPLARY,))
