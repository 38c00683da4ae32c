"""The metrics a target can bind to: leads signed in a year, counted and summed as of a day."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from yuanqu.core import metrics
from yuanqu.investment import services
from yuanqu.investment.models import Stage


def _sign(make_lead, name, amount, day):
    lead = make_lead(name, stage=Stage.NEGOTIATE, amount_text=amount)
    services.lead_transition(actor=None, lead=lead, action="sign",
                             at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))


def test_signed_leads_are_counted_and_summed_by_year_as_of_the_day(make_lead):
    _sign(make_lead, "甲", "2亿元", dt.date(2026, 3, 1))
    _sign(make_lead, "乙", "5000万元", dt.date(2026, 6, 1))
    _sign(make_lead, "丙", "3000万美元", dt.date(2026, 6, 2))   # counted, not summed nor over a 亿元 bar
    _sign(make_lead, "丁", "3亿元", dt.date(2025, 12, 30))      # last year
    make_lead("戊", stage=Stage.NEGOTIATE, amount_text="9亿元")  # not signed
    count, amount = metrics.get_metric("investment.signed_count"), metrics.get_metric("investment.signed_amount")
    params = [{"year": 2026}, {"year": 2026, "min_amount": "1"}, {"year": 2025}]
    assert count.func(params, dt.date(2026, 9, 15)) == [Decimal(3), Decimal(1), Decimal(1)]
    assert count.func(params[:1], dt.date(2026, 5, 31)) == [Decimal(1)]  # as of a day before two signings
    assert amount.func([{"year": 2026}], dt.date(2026, 9, 15)) == [Decimal("2.5")]


def test_largest_signed_project_of_the_year_as_of_the_day(make_lead):
    largest = metrics.get_metric("investment.largest_signed")
    on = dt.date(2026, 9, 15)
    assert largest.func([{"year": 2026}], on) == [Decimal(0)]  # nothing signed yet
    _sign(make_lead, "甲", "60亿元", dt.date(2026, 7, 1))
    _sign(make_lead, "乙", "2亿元", dt.date(2026, 3, 1))
    _sign(make_lead, "丙", "5亿美元", dt.date(2026, 8, 1))      # foreign currency: not compared
    _sign(make_lead, "丁", "120亿元", dt.date(2025, 11, 1))     # last year
    make_lead("戊", stage=Stage.NEGOTIATE, amount_text="150亿元")  # in talks, not signed
    params = [{"year": 2026}, {"year": 2025}]
    assert largest.func(params, on) == [Decimal(60), Decimal(120)]
    assert largest.func([{"year": 2026}], dt.date(2026, 6, 30)) == [Decimal(2)]  # before the 60亿 signing
