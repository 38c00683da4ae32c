"""`indicators.value` on entered counts: the zone's rate of the sums, as of a day."""

import datetime as dt
from decimal import Decimal

from yuanqu.core.metrics import get_metric
from yuanqu.indicators import selectors


def test_the_metric_honours_the_date_and_a_village_entering_moves_it(people, places, insured, clock):
    from yuanqu.indicators import services

    services.count_enter(actor=None, definition=insured, unit=places["e1"], period="2026", values=[90, 100])
    metric = get_metric("indicators.value")
    params = metric.clean_params({"code": "参保率", "year": 2026}, check_exists=True)
    assert metric.func([params], clock.today()) == [Decimal("90.00")]
    services.count_enter(actor=people["e2" if "e2" in people else "admin"], definition=insured,
                         unit=places["e2"], period="2026", values=[50, 100])
    assert metric.func([params, {"code": "insured", "year": 2025}], clock.today()) == [Decimal("70.00"), None]
    assert metric.func([params], clock.today() - dt.timedelta(days=1)) == [None]  # nothing entered by then
    assert selectors.values_for([insured]).zone_value(insured.pk, "2026") == Decimal("70.00")
