"""Live figures of the grid register for the plan (docs/metrics.md): the share of a year's events
answered within their limit, the events open past it, and the share closed — each as of a date,
for a whole list of parameters in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from yuanqu.core.metrics import Param, register

from .models import FINISHED, GridEvent, State

YEAR = Param("year", "年度", "int")


def _end(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(23, 59, 59)))


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@register("grid.on_time_share", label="网格事件按时处置率", unit="%", params=[YEAR])
def on_time_share(params_list, on: dt.date):
    """Of the year's events answered (反馈) by the date, the share answered within their limit."""
    end = _end(on)
    answered = Q(fed_back_at__isnull=False, fed_back_at__lte=end)
    rows = (GridEvent.objects.filter(reported_at__year__in={p["year"] for p in params_list}, reported_at__lte=end)
            .annotate(year=ExtractYear("reported_at")).values("year")
            .annotate(answered=Count("pk", filter=answered),
                      on_time=Count("pk", filter=answered & Q(fed_back_at__lte=F("due_at"))))
            .order_by())
    found = {r["year"]: r for r in rows}
    return [_share(found[p["year"]]["on_time"], found[p["year"]]["answered"]) if p["year"] in found else None
            for p in params_list]


@register("grid.closure_share", label="网格事件结案率", unit="%", params=[YEAR])
def closure_share(params_list, on: dt.date):
    """Of the year's events accepted by the date (not refused), the share closed."""
    end = _end(on)
    rows = (GridEvent.objects.filter(reported_at__year__in={p["year"] for p in params_list}, reported_at__lte=end)
            .exclude(state__in=(State.REPORTED, State.REJECTED))
            .annotate(year=ExtractYear("reported_at")).values("year")
            .annotate(total=Count("pk"), closed=Count("pk", filter=Q(state__in=FINISHED, closed_at__lte=end)))
            .order_by())
    found = {r["year"]: r for r in rows}
    return [_share(found[p["year"]]["closed"], found[p["year"]]["total"]) if p["year"] in found else None
            for p in params_list]


@register("grid.open_overdue", label="逾期未处置的网格事件", unit="件")
def open_overdue(params_list, on: dt.date):
    """Events dispatched by the date, past their limit and not answered by it."""
    end = _end(on)
    count = GridEvent.objects.filter(Q(fed_back_at__isnull=True) | Q(fed_back_at__gt=end), dispatched_at__lte=end,
                                     due_at__lt=end).exclude(state=State.REJECTED).count()
    return [Decimal(count) for _ in params_list]
