"""Metrics 招商 offers the target tracker: leads signed in a year, their count and amount, so a
target such as “全年签约亿元以上项目20个” reads its value from the register instead of being typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from yuanqu.core.metrics import Param, register

from .models import Currency, LeadEvent

YEAR = Param("year", "年度", "int")
MIN_AMOUNT = Param("min_amount", "最低投资额（亿元，人民币）", "decimal", required=False)


def _signed(params_list, on: dt.date) -> list[tuple[int, Decimal | None, str]]:
    """(year signed, amount in 万, currency) of every lead signed by the end of `on` in the years
    asked for: one query whatever the number of targets bound."""
    years = {int(p["year"]) for p in params_list}
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    start = timezone.make_aware(dt.datetime(min(years), 1, 1))
    rows = (LeadEvent.objects.filter(action=LeadEvent.Action.SIGN, time__gte=start, time__lt=end)
            .values_list("time", "lead__amount", "lead__currency"))
    return [(timezone.localtime(time).year, amount, currency) for time, amount, currency in rows]


def _qualifies(amount, currency, params) -> bool:
    if params.get("min_amount") in (None, ""):
        return True
    # Foreign-currency amounts are not converted, so they do not count towards a 亿元 threshold.
    return currency == Currency.CNY and amount is not None and amount >= Decimal(params["min_amount"]) * 10000


@register("investment.signed_count", label="年度签约项目数", unit="个", params=[YEAR, MIN_AMOUNT])
def signed_count(params_list, on):
    """该年度截至当日签约的招商项目个数（可限定人民币投资额下限）。"""
    signed = _signed(params_list, on)
    return [Decimal(sum(1 for year, amount, currency in signed
                        if year == int(p["year"]) and _qualifies(amount, currency, p))) for p in params_list]


@register("investment.signed_amount", label="年度签约项目意向投资额", unit="亿元", params=[YEAR])
def signed_amount(params_list, on):
    """该年度截至当日签约项目的人民币意向投资额合计（亿元；外币项目不折算、不计入）。"""
    signed = _signed(params_list, on)
    return [sum((amount for year, amount, currency in signed
                 if year == int(p["year"]) and currency == Currency.CNY and amount is not None), Decimal(0)) / 10000
            for p in params_list]


@register("investment.largest_signed", label="年度签约最大单体项目投资额", unit="亿元", params=[YEAR])
def largest_signed(params_list, on):
    """该年度截至当日签约的最大单体项目人民币意向投资额（亿元），用于“招引50亿元以上重特大项目”
    这类目标：签下一个达到该额度的项目即完成；无签约项目时为0。"""
    signed = _signed(params_list, on)
    return [max((amount for year, amount, currency in signed
                 if year == int(p["year"]) and currency == Currency.CNY and amount is not None), default=Decimal(0))
            / 10000 for p in params_list]
