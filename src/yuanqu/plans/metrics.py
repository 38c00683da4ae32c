"""Metrics the plans app offers: counts and sums over a target's ledger (台账)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from yuanqu.core.metrics import Param, register

from .models import LedgerItem, Target

TARGET = Param("target", "目标编号", "int", exists=lambda pk: Target.objects.alive().filter(pk=pk).exists())


def _per_target(params_list, on: dt.date, aggregate) -> list[Decimal | None]:
    ids = [p["target"] for p in params_list]
    rows = dict(
        LedgerItem.objects.alive()
        .filter(target_id__in=ids)
        .values("target_id")
        .annotate(v=aggregate(on))
        .values_list("target_id", "v")
    )
    return [Decimal(rows.get(i) or 0) for i in ids]


def _done(on: dt.date) -> Q:
    return Q(status=LedgerItem.Status.DONE, completed_on__lte=on)


@register("plans.ledger_done", label="台账已完成事项数", unit="个", params=[TARGET])
def ledger_done(params_list, on):
    """目标台账中截至当日已完成的事项个数。"""
    return _per_target(params_list, on, lambda d: Count("pk", filter=_done(d)))


@register("plans.ledger_total", label="台账事项总数", unit="个", params=[TARGET])
def ledger_total(params_list, on):
    """目标台账中未取消的事项个数。"""
    return _per_target(params_list, on, lambda d: Count("pk", filter=~Q(status=LedgerItem.Status.CANCELLED)))


@register("plans.ledger_amount_done", label="台账已完成数量合计", unit="", params=[TARGET])
def ledger_amount_done(params_list, on):
    """目标台账中截至当日已完成事项的“数量/金额”之和。"""
    return _per_target(params_list, on, lambda d: Sum("amount", filter=_done(d)))
