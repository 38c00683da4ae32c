"""The register's metrics, as of a date: on-time share, open overdue (the calendar's due dates),
visits in the year; one query each for any number of parameters."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.metrics import get_metric
from yuanqu.visits import services

from .conftest import D


def _answer(request, on_actor):
    for a in ("accept", "handle"):
        services.request_step(actor=on_actor, request=request, action=a)
    return services.request_step(actor=on_actor, request=request, action="reply", comment="已办")


def test_metrics_read_the_requests_and_visits_as_of_a_date(zone, clock, firms, make_request):
    clock.set_today(D(2026, 9, 30))
    services.visit_create(actor=zone["visitor"], data={"enterprise": firms[0].pk, "visited_on": D(2026, 3, 2),
                                                       "visitors": "王干部"})
    services.visit_create(actor=zone["visitor"], data={"enterprise": firms[1].pk, "visited_on": D(2026, 9, 2),
                                                       "visitors": "王干部"})
    late = make_request(received_on=D(2026, 9, 1))  # due 15 Sep
    make_request(received_on=D(2026, 9, 14))  # due 28 Sep, still open on the 30th
    clock.set_today(D(2026, 9, 10))
    _answer(make_request(received_on=D(2026, 9, 7)), zone["invest"])  # on time
    clock.set_today(D(2026, 9, 18))
    _answer(late, zone["invest"])  # answered three days late
    clock.set_today(D(2026, 9, 30))

    share, overdue, visits = (get_metric(n) for n in ("visits.on_time_share", "visits.open_overdue",
                                                      "visits.visits_in_year"))
    assert share.compute_many([{"year": 2026}, {"year": 2025}], D(2026, 9, 30)) == [Decimal("50.0"), None]
    assert share.compute_many([{"year": 2026}], D(2026, 9, 12)) == [Decimal("100.0")]
    # On the 16th the late one was open past due; on the 30th it is answered, the other is past due.
    assert overdue.compute_many([{}], D(2026, 9, 16)) == [Decimal(1)]
    assert overdue.compute_many([{}], D(2026, 9, 30)) == [Decimal(1)]
    assert overdue.compute_many([{}], D(2026, 9, 28)) == [Decimal(0)]
    with CaptureQueriesContext(connection) as ctx:
        assert visits.compute_many([{"year": 2026}, {"year": 2025}], D(2026, 6, 30)) == [Decimal(1), Decimal(0)]
    assert len(ctx) == 1
