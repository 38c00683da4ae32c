"""Live figures of the visits register for the plan (docs/metrics.md): the share of a year's
requests answered within their time limit, the requests open past their due date, and the visits
of a year — each as of a date, for a whole list of parameters in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from yuanqu.core.metrics import Param, register

from .models import EnterpriseRequest, Visit

YEAR = Param("year", "年度", "int")


@register("visits.on_time_share", label="企业诉求按时答复率", unit="%", params=[YEAR])
def on_time_share(params_list, on: dt.date):
    """Of the year's requests answered by the date, the share answered by their due date."""
    years = {p["year"] for p in params_list}
    answered = Q(replied_on__isnull=False, replied_on__lte=on)
    rows = (EnterpriseRequest.objects.filter(received_on__year__in=years, received_on__lte=on)
            .annotate(year=ExtractYear("received_on")).values("year")
            .annotate(answered=Count("pk", filter=answered),
                      on_time=Count("pk", filter=answered & Q(replied_on__lte=F("due_on"))))
            .order_by())
    found = {r["year"]: r for r in rows}
    out = []
    for p in params_list:
        row = found.get(p["year"])
        out.append(None if not row or not row["answered"]
                   else (Decimal(row["on_time"]) * 100 / row["answered"]).quantize(Decimal("0.1")))
    return out


@register("visits.open_overdue", label="逾期未答复的企业诉求", unit="件")
def open_overdue(params_list, on: dt.date):
    """Requests received by the date, past their due date and not answered by it."""
    count = EnterpriseRequest.objects.filter(
        Q(replied_on__isnull=True) | Q(replied_on__gt=on), received_on__lte=on, due_on__lt=on).count()
    return [Decimal(count) for _ in params_list]


@register("visits.visits_in_year", label="走访企业次数", unit="次", params=[YEAR])
def visits_in_year(params_list, on: dt.date):
    """Visits made in the year up to the date."""
    years = {p["year"] for p in params_list}
    rows = dict(Visit.objects.filter(visited_on__year__in=years, visited_on__lte=on)
                .annotate(year=ExtractYear("visited_on")).values("year").annotate(n=Count("pk"))
                .values_list("year", "n").order_by())
    return [Decimal(rows.get(p["year"], 0)) for p in params_list]
