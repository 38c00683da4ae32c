"""The land metrics: each honours its date and answers a list of parameters in one query."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.metrics import get_metric
from yuanqu.land import services


@pytest.fixture
def revitalised(clock, make_parcel):
    """Three efforts on 2026 dates and one in 2025; the clock stands at 2026-12-31 while recording them."""
    clock.set_today(dt.date(2026, 12, 31))
    a, b = make_parcel(area_text="100亩", status="inefficient"), make_parcel(area_text="80亩", status="idle")

    def done(parcel, method, area, on):
        return services.revitalisation_create(actor=None, parcel=parcel, data={
            "cause": "亩均效益低", "method": method, "planned_date": on, "status": "done", "area_mu": Decimal(area),
            "completed_on": on})

    done(a, "upgrade", "30", dt.date(2026, 3, 10))
    done(a, "upgrade", "20", dt.date(2026, 9, 1))
    done(b, "buyback", "40", dt.date(2026, 6, 30))
    done(b, "buyback", "7", dt.date(2025, 12, 31))
    services.revitalisation_create(actor=None, parcel=b, data={
        "cause": "停产", "method": "merge", "planned_date": dt.date(2026, 5, 1), "status": "in_progress",
        "area_mu": Decimal("10")})


def test_area_revitalised_counts_what_was_done_by_that_date(revitalised, django_assert_num_queries):
    metric = get_metric("land.area_revitalised")
    params = [{"year": 2026}, {"year": 2026, "method": "提升改造"}, {"year": 2026, "method": "buyback"},
              {"year": 2025}, {"year": 2026, "method": "并购重组"}]
    with django_assert_num_queries(1):
        assert metric.func(params, dt.date(2026, 6, 30)) == [Decimal("70"), Decimal("30"), Decimal("40"),
                                                              Decimal("7"), Decimal("0")]
    assert metric.func(params[:1], dt.date(2026, 3, 9)) == [Decimal("0")]
    assert metric.func(params[:1], dt.date(2026, 12, 31)) == [Decimal("90")]


def test_a_wrong_method_is_refused_when_binding():
    with pytest.raises(ApplicationError, match="盘活方式"):
        get_metric("land.area_revitalised").clean_params({"year": 2026, "method": "拆除"}, check_exists=True)


def test_parcels_and_area_supplied_follow_the_supply_date(make_parcel, django_assert_num_queries):
    make_parcel(area_text="10亩", status="supplied", supply_date=dt.date(2026, 2, 1))
    make_parcel(area_text="6666.7平方米", status="built", supply_date=dt.date(2026, 7, 1))
    make_parcel(area_text="5亩", status="supplied", supply_date=dt.date(2025, 7, 1))
    make_parcel(area_text="99亩", status="pending")
    count, area = get_metric("land.parcels_supplied"), get_metric("land.area_supplied")
    with django_assert_num_queries(1):
        assert count.func([{"year": 2026}, {"year": 2025}], dt.date(2026, 6, 30)) == [Decimal(1), Decimal(1)]
    assert count.func([{"year": 2026}], dt.date(2026, 7, 1)) == [Decimal(2)]
    assert area.func([{"year": 2026}], dt.date(2026, 7, 1)) == [Decimal("20.00")]
    assert area.func([{"year": 2026}], dt.date(2026, 1, 31)) == [Decimal("0")]


def test_a_completion_date_in_the_future_is_refused(clock, make_parcel):
    parcel = make_parcel()
    with pytest.raises(ApplicationError, match="完成日期不能晚于今天"):
        services.revitalisation_create(actor=None, parcel=parcel, data={
            "cause": "低效", "method": "upgrade", "planned_date": clock.today(), "status": "done",
            "area_mu": Decimal(5), "completed_on": clock.today() + dt.timedelta(days=1)})
