"""Rates from counts: the ratio of the sums level by level, a zero denominator, sums, periods."""

from decimal import Decimal

import pytest

from yuanqu.indicators import selectors, services
from yuanqu.indicators.compute import Rollup, evaluate, shown
from yuanqu.indicators.periods import PeriodError, parse_period


def enter(d, unit, values, period="2026"):
    return services.count_enter(actor=None, definition=d, unit=unit, period=period, values=values)


def test_the_zone_and_area_values_are_the_ratio_of_the_sums_not_the_average_of_percentages(places, insured):
    enter(insured, places["e1"], [90, 100])      # 90 %
    enter(insured, places["e2"], [500, 1000])    # 50 %
    enter(insured, places["w1"], [0, 0])         # no rate: a zero denominator
    values = selectors.values_for([insured])
    assert values.village(insured.pk, places["e1"].pk, "2026") == Decimal("90.00")
    assert values.village(insured.pk, places["w1"].pk, "2026") is None
    # (90 + 500) / (100 + 1000) = 53.64 %, where the average of 90 % and 50 % would be 70 %
    assert values.area(insured.pk, places["east"].pk, "2026") == Decimal("53.64")
    assert values.area(insured.pk, places["west"].pk, "2026") is None
    assert values.zone_value(insured.pk, "2026") == Decimal("53.64")


def test_a_zero_denominator_shows_a_dash_on_the_pages_not_an_error(client, people, places, insured):
    enter(insured, places["w1"], [0, 0])
    client.force_login(people["leader"])
    page = client.get(f"/indicators/{insured.pk}/")
    assert page.status_code == 200
    row = page.content.decode().split("西湖社区")[1].split("</tr>")[0]
    assert "—" in row
    assert "—" in client.get("/indicators/").content.decode()


def test_sums_add_their_terms_and_rollup_is_pure():
    assert evaluate("sum", Decimal(1), [Decimal(3), Decimal("4.5")]) == Decimal("7.50")
    rollup = Rollup("ratio", Decimal(100))
    assert rollup.value is None
    rollup.add([Decimal(1), Decimal(3)])
    rollup.add([Decimal(2), Decimal(3)])
    assert rollup.value == Decimal("50.00") and rollup.counted == 2
    assert shown(None) == "—" and shown(Decimal("50.00")) == "50" and shown(Decimal("53.64")) == "53.64"


@pytest.mark.parametrize(("kind", "text", "key"), [
    ("year", "2026", "2026"), ("year", "2026年", "2026"), ("year", 2026.0, "2026"),
    ("quarter", "2026Q1", "2026-Q1"), ("quarter", "2026年第三季度", "2026-Q3"), ("quarter", "2026-q4", "2026-Q4"),
    ("month", "2026-3", "2026-03"), ("month", "2026年12月", "2026-12"),
])
def test_periods_as_people_write_them(kind, text, key):
    assert parse_period(text, kind) == key


@pytest.mark.parametrize(("kind", "text"), [("year", "明年"), ("month", "2026-13"), ("quarter", "2026Q5"),
                                            ("month", "2026"), ("year", "1899")])
def test_unknown_periods_are_refused(kind, text):
    with pytest.raises(PeriodError, match="不是有效的期间"):
        parse_period(text, kind)
