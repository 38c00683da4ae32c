"""The status engine: 序时进度, completion and the traffic light, without a database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuanqu.plans.status import Status, StatusRule, evaluate, schedule_progress

Y0, Y1 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
dates = st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 30))


def quantity(on, value, target=100.0, rule=None, comparator=">="):
    return evaluate(on=on, start=Y0, end=Y1, kind="quantity", comparator=comparator, target=target,
                    value=value, rule=rule or StatusRule())


def test_schedule_progress_day_mode_counts_the_day_itself():
    assert schedule_progress(Y0, Y1, dt.date(2026, 1, 1)) == pytest.approx(100 / 365, abs=0.01)
    assert schedule_progress(Y0, Y1, dt.date(2026, 7, 2)) == pytest.approx(183 / 365 * 100, abs=0.01)
    assert schedule_progress(Y0, Y1, dt.date(2025, 12, 31)) == 0
    assert schedule_progress(Y0, Y1, Y1) == 100


def test_schedule_progress_month_mode_cuts_off_at_previous_month_end():
    assert schedule_progress(Y0, Y1, dt.date(2026, 7, 15), "month") == 50
    assert schedule_progress(Y0, Y1, dt.date(2026, 1, 20), "month") == 0
    assert schedule_progress(Y0, Y1, dt.date(2026, 12, 1), "month") == pytest.approx(91.67, abs=0.01)


def test_lights_follow_the_default_thresholds():
    mid = dt.date(2026, 7, 15)  # 序时进度 ≈ 53.7
    assert quantity(mid, 60).status is Status.GREEN
    assert quantity(mid, 45).status is Status.YELLOW  # 8.7 points behind
    assert quantity(mid, 40).status is Status.RED  # 13.7 points behind
    assert quantity(mid, 100).status is Status.DONE
    assert quantity(dt.date(2027, 1, 5), 99).status is Status.RED  # past deadline, unmet


def test_yellow_band_is_configurable():
    mid = dt.date(2026, 7, 15)
    assert quantity(mid, 40, rule=StatusRule(yellow_band=20)).status is Status.YELLOW
    assert quantity(mid, 50, rule=StatusRule(yellow_band=0)).status is Status.RED


def test_nothing_reported_is_not_started_until_behind_more_than_the_band():
    assert quantity(dt.date(2026, 1, 20), None).status is Status.NOT_STARTED
    assert quantity(dt.date(2026, 3, 31), None).status is Status.RED


def test_baseline_measures_progress_from_it():
    ev = evaluate(on=dt.date(2026, 7, 1), start=Y0, end=Y1, kind="quantity", comparator=">=", target=200.0,
                  baseline=100.0, value=150.0)
    assert ev.completion == 50


def test_must_not_happen_targets_are_green_until_breached_and_done_at_year_end():
    def zero(on, value):
        return evaluate(on=on, start=Y0, end=Y1, kind="quantity", comparator="=", target=0.0, value=value)

    assert zero(dt.date(2026, 5, 1), 0).status is Status.GREEN
    assert zero(dt.date(2026, 5, 1), 1).status is Status.RED
    assert zero(dt.date(2027, 1, 2), 0).status is Status.DONE


def test_at_most_targets():
    assert quantity(dt.date(2026, 5, 1), 3.4, target=3.5, comparator="<=").status is Status.GREEN
    assert quantity(dt.date(2026, 5, 1), 3.6, target=3.5, comparator="<=").status is Status.RED


def test_milestones_use_percent_complete():
    ev = evaluate(on=dt.date(2026, 7, 15), start=Y0, end=Y1, kind="milestone", comparator=None, target=None,
                  percent=80.0)
    assert ev.status is Status.GREEN
    ev = evaluate(on=dt.date(2026, 7, 15), start=Y0, end=Y1, kind="milestone", comparator=None, target=None,
                  percent=100.0)
    assert ev.status is Status.DONE


def test_strictly_greater_needs_more_than_the_target():
    assert quantity(dt.date(2026, 6, 1), 30, target=30, comparator=">").status is not Status.DONE
    assert quantity(dt.date(2026, 6, 1), 30.5, target=30, comparator=">").status is Status.DONE


@given(dates, dates)
def test_schedule_progress_is_monotone_and_bounded(a, b):
    pa, pb = schedule_progress(Y0, Y1, min(a, b)), schedule_progress(Y0, Y1, max(a, b))
    assert 0 <= pa <= pb <= 100


@given(dates, st.floats(0, 150), st.floats(0, 150))
def test_more_done_is_never_a_worse_light(on, v1, v2):
    low, high = quantity(on, min(v1, v2)), quantity(on, max(v1, v2))
    assert low.status.rank <= high.status.rank or low.status is Status.NOT_STARTED


@given(dates, st.floats(0, 150), st.floats(0, 50))
def test_status_matches_its_definition(on, value, band):
    ev = quantity(on, value, rule=StatusRule(yellow_band=band))
    if value >= 100:
        assert ev.status is Status.DONE
    elif on > Y1:
        assert ev.status is Status.RED
    elif on < Y0:
        assert ev.status is Status.NOT_STARTED
    else:
        assert ev.gap == pytest.approx(ev.schedule - ev.completion, abs=0.02)
        expected = Status.GREEN if ev.gap <= 0 else Status.YELLOW if ev.gap <= band else Status.RED
        assert ev.status is expected


def test_a_green_band_tolerates_a_small_shortfall_yinchuan_style():
    rule = StatusRule(green_band=10, yellow_band=30)
    mid = dt.date(2026, 7, 15)  # 序时进度 ≈ 53.7
    assert quantity(mid, 45, rule=rule).status is Status.GREEN  # 8.7 points behind
    assert quantity(mid, 30, rule=rule).status is Status.YELLOW  # 23.7 behind
    assert quantity(mid, 20, rule=rule).status is Status.RED  # 33.7 behind


def test_a_relative_shortfall_is_measured_against_schedule_progress_sanya_style():
    rule = StatusRule(basis="relative", yellow_band=50)
    mid = dt.date(2026, 7, 15)  # 序时进度 ≈ 53.7: half of it is ≈ 26.9
    assert quantity(mid, 30, rule=rule).status is Status.YELLOW  # short by 44% of 序时
    assert quantity(mid, 25, rule=rule).status is Status.RED  # short by 53% of 序时
    assert quantity(mid, 60, rule=rule).status is Status.GREEN


@given(dates, st.floats(0, 150), st.floats(0, 40), st.floats(0, 40))
def test_bands_order_the_lights(on, value, green, extra):
    rule = StatusRule(green_band=green, yellow_band=green + extra)
    ev = quantity(on, value, rule=rule)
    if Y0 <= on <= Y1 and value < 100 and ev.gap is not None:
        assert ev.status is (Status.GREEN if ev.gap <= green else Status.YELLOW if ev.gap <= green + extra
                             else Status.RED)
