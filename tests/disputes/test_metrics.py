"""The metrics section 七's targets bind to: 矛盾纠纷调解成功率, 信访按期办结率 (open petitions past
their limit count as late), open cases past a limit; as of a date, one query for any parameters."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.metrics import get_metric
from yuanqu.disputes.models import DisputeCase

from .conftest import D, step


def _value(name, on, years=(2026,)):
    with CaptureQueriesContext(connection) as ctx:
        values = get_metric(name).compute_many([{"year": y} for y in years] if years else [{}], on)
    assert len(ctx) == 1
    return values


def test_the_mediation_success_rate_is_agreements_over_concluded(make_case):
    for reached in (True, True, True, False):
        case = step(make_case(kind="mediation"), "accept", on=D(2026, 9, 2))
        step(case, "conclude", on=D(2026, 9, 5), agreement_reached=reached, agreement_text="协议", comment="")
    step(make_case(kind="mediation"), "accept")  # still mediating: not counted
    assert _value("disputes.mediation_success_rate", D(2026, 9, 15), (2026, 2025)) == [Decimal("75.0"), None]
    assert _value("disputes.mediation_success_rate", D(2026, 9, 4)) == [None]  # as of before any conclusion


def test_the_petition_on_time_rate_counts_open_ones_past_their_limit_as_late(make_case, clock):
    clock.set_today(D(2026, 12, 31))
    on_time = step(make_case(received_on=D(2026, 8, 1)), "accept", on=D(2026, 8, 2))  # due 10-01
    step(on_time, "answer", on=D(2026, 9, 30), comment="答复")
    late = step(make_case(received_on=D(2026, 8, 1)), "accept", on=D(2026, 8, 2))
    step(late, "answer", on=D(2026, 10, 5), comment="答复")
    extended = step(make_case(received_on=D(2026, 8, 1)), "accept", on=D(2026, 8, 2))
    extended = step(extended, "extend", on=D(2026, 9, 20), approver="主任", comment="复杂")  # due 10-31
    step(extended, "answer", on=D(2026, 10, 20), comment="答复")
    step(make_case(received_on=D(2026, 8, 1)), "accept", on=D(2026, 8, 2))  # open, past due from 10-02
    step(make_case(received_on=D(2026, 9, 1)), "accept", on=D(2026, 9, 2))  # open, due 11-01
    assert _value("disputes.petition_on_time_rate", D(2026, 10, 15)) == [Decimal("33.3")]  # 1 of 3 (late, open)
    assert _value("disputes.petition_on_time_rate", D(2026, 11, 30)) == [Decimal("40.0")]  # 2 of 5
    # The one answered late is no longer running; the two unanswered past their limit are.
    assert _value("disputes.open_overdue", D(2026, 11, 30), years=None) == [Decimal(2)]


def test_overdue_counts_open_cases_past_their_limit_not_only_late_answers(make_case):
    waiting = make_case(received_on=D(2026, 8, 1))  # acceptance due 8-16, never accepted
    told_late = step(make_case(received_on=D(2026, 8, 1)), "accept", on=D(2026, 8, 20))
    fine = step(make_case(received_on=D(2026, 9, 1)), "accept", on=D(2026, 9, 2))
    declined = step(make_case(received_on=D(2026, 8, 1)), "decline", on=D(2026, 8, 10), comment="不属受理范围")
    overdue = set(DisputeCase.objects.filter(DisputeCase.overdue_q(D(2026, 9, 15))))
    assert overdue == {waiting, told_late}
    assert [c.is_overdue(D(2026, 9, 15)) for c in (waiting, told_late, fine, declined)] == [True, True, False, False]
    # Open with a clock running past its limit: only the one never accepted (the other's handling runs).
    assert _value("disputes.open_overdue", D(2026, 9, 15), years=None) == [Decimal(1)]
