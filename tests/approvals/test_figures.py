"""Scenario figures against the target: share on time, median and 90th percentile, the year's
window, one item in two scenarios; the metrics honour their date; queries stay fixed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.approvals import selectors
from yuanqu.approvals.models import Case
from yuanqu.core.metrics import get_metric
from yuanqu.org.models import User

from .conftest import D


def _open_cases(make_case, days_list):
    """企业开办 cases accepted on Mon 2026-03-02 and decided the given working days later."""
    decided = {0: D(2026, 3, 2), 1: D(2026, 3, 3), 2: D(2026, 3, 4), 3: D(2026, 3, 5), 4: D(2026, 3, 6),
               5: D(2026, 3, 9), 9: D(2026, 3, 13)}
    for days in days_list:
        make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=decided[days],
                  delivered_on=decided[days])


def test_share_on_time_median_and_p90_per_scenario(bundle, make_case, users):
    _open_cases(make_case, [1, 1, 2, 2, 2, 3, 4, 5, 9, 2])
    make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2))  # still open: not counted
    make_case(received_on=D(2025, 12, 1), accepted_on=D(2025, 12, 1), decided_on=D(2025, 12, 2))  # last year
    rows = {r.scenario.name: r for r in selectors.bundle_figures(users["leader"], bundle, D(2026, 9, 15))}
    f = rows["企业开办"].figures
    assert (f.cases, f.on_time, f.median, f.p90) == (10, 6, 2, 5)
    assert f.share == pytest.approx(0.6)
    # 不动产登记 also holds 企业设立登记 and counts received→delivered against 3 days.
    g = rows["不动产登记"].figures
    assert (g.cases, g.on_time) == (10, 7)
    march = dict(rows["企业开办"].months)[D(2026, 3, 1)]
    assert march.cases == 10 and dict(rows["企业开办"].months)[D(2026, 2, 1)].cases == 0


def test_a_unit_reads_the_figures_of_its_own_cases_only(bundle, make_case, users, units):
    _open_cases(make_case, [1, 9])
    make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 3),
              handling_unit=units["invest"])
    leader = selectors.bundle_figures(users["leader"], bundle, D(2026, 9, 15))[0].figures
    invest = selectors.bundle_figures(users["invest"], bundle, D(2026, 9, 15))[0].figures
    assert (leader.cases, invest.cases, invest.on_time) == (3, 1, 1)


def test_the_figures_take_a_fixed_number_of_queries(bundle, make_case, users):
    def queries():
        leader = User.objects.get(pk=users["leader"].pk)  # a fresh request's user: its roles are read once
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.bundle_figures(leader, bundle, D(2026, 9, 15))
        return len(ctx), rows[0].figures.cases

    _open_cases(make_case, [1, 2])
    few = queries()
    _open_cases(make_case, [3, 4, 5, 9, 1, 1])
    # the scenarios and one month-by-days histogram (+ the user's roles)
    assert few == (3, 2) and queries() == (3, 8)


def evaluate(name, params, on):
    return get_metric(name).compute_many([params], on)[0]


def test_the_metrics_honour_their_date(bundle, make_case):
    _open_cases(make_case, [1, 2, 9])  # decided 3-3, 3-4 and 3-13
    params = {"year": 2026, "bundle": "2330", "scenario": "企业开办"}
    assert evaluate("approvals.on_time_share", params, D(2026, 3, 10)) == Decimal("100.0")
    assert evaluate("approvals.on_time_share", params, D(2026, 9, 15)) == Decimal("66.7")
    assert evaluate("approvals.median_days", params, D(2026, 9, 15)) == Decimal(2)
    assert evaluate("approvals.on_time_share", {**params, "year": 2025}, D(2026, 9, 15)) is None
    assert Case.objects.count() == 3
