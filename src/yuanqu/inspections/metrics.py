"""Live figures of the inspections register for the plan (sections 四、七: 安全生产, 污染防治,
城乡环境): hazards found in a year, 重大 hazards open, and the share rectified on time — each as of
a date, for a whole list of parameters in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from yuanqu.core.metrics import Param, register

from .models import Domain, Hazard, Level

YEAR = Param("year", "年度", "int")
DOMAIN = Param("domain", "检查类别（safety/pollution/urban，空为全部）", "str", required=False)


def _domain_q(p) -> Q:
    domain = p.get("domain") or ""
    return Q(inspection__domain=domain) if domain in Domain.values else Q()


@register("inspections.hazards_found", label="排查发现隐患（问题）数", unit="处", params=[YEAR, DOMAIN])
def hazards_found(params_list, on: dt.date):
    """Hazards found by inspections of the year, up to the date."""
    years = {p["year"] for p in params_list}
    rows = (Hazard.objects.filter(inspection__inspected_on__year__in=years, inspection__inspected_on__lte=on)
            .annotate(year=ExtractYear("inspection__inspected_on")).values("year", "inspection__domain")
            .annotate(n=Count("pk")).order_by())
    found: dict[tuple[int, str], int] = {(r["year"], r["inspection__domain"]): r["n"] for r in rows}
    out = []
    for p in params_list:
        domain = p.get("domain") or ""
        out.append(Decimal(sum(n for (y, d), n in found.items() if y == p["year"] and (not domain or d == domain))))
    return out


@register("inspections.major_open", label="未销号的重大隐患", unit="处", params=[DOMAIN])
def major_open(params_list, on: dt.date):
    """重大 hazards found by the date and not closed by it."""
    rows = dict(Hazard.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), level=Level.MAJOR,
                                      inspection__inspected_on__lte=on)
                .values("inspection__domain").annotate(n=Count("pk")).values_list("inspection__domain", "n")
                .order_by())
    out = []
    for p in params_list:
        domain = p.get("domain") or ""
        out.append(Decimal(rows.get(domain, 0) if domain else sum(rows.values())))
    return out


@register("inspections.on_time_share", label="隐患按期整改率", unit="%", params=[YEAR, DOMAIN])
def on_time_share(params_list, on: dt.date):
    """Of the year's hazards whose deadline has come by the date (or rectified by it), the share
    rectified by the deadline — so hazards still open past their deadline count against it."""
    years = {p["year"] for p in params_list}
    due = Q(deadline__lte=on) | Q(rectified_on__lte=on)
    on_time = Q(rectified_on__isnull=False, rectified_on__lte=on) & Q(rectified_on__lte=F("deadline"))
    rows = (Hazard.objects.filter(due, deadline__isnull=False, inspection__inspected_on__year__in=years)
            .annotate(year=ExtractYear("inspection__inspected_on")).values("year", "inspection__domain")
            .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time)).order_by())
    rows = list(rows)
    out = []
    for p in params_list:
        domain = p.get("domain") or ""
        mine = [r for r in rows if r["year"] == p["year"] and (not domain or r["inspection__domain"] == domain)]
        total = sum(r["due"] for r in mine)
        good = sum(r["on_time"] for r in mine)
        out.append((Decimal(good) * 100 / total).quantize(Decimal("0.1")) if total else None)
    return out
