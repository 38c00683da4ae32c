"""The cockpit's SQL query count does not grow with the data (targets, reports, ledger items, 督办单)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_target
from yuanqu.plans.models import LedgerItem, MetricSnapshot, ProgressReport, Target

from ..access import queries

KINDS = [Target.Kind.QUANTITY, Target.Kind.LEDGER, Target.Kind.MILESTONE, "bound"]
LEADS = ["invest", "agri", "village"]


def _grow(plan, units, users, supervision_item, on, n: int, start: int) -> None:
    """n more targets of every kind (one bound to a metric), each with reports over several months
    (accepted, superseded, pending), ledger items, a metric snapshot and an overdue 督办单."""
    sections = list(plan.sections.all())
    for i in range(start, start + n):
        kind = KINDS[i % len(KINDS)]
        extra = {"kind": kind}
        if kind == "bound":
            extra = {"kind": Target.Kind.QUANTITY, "metric": "plans.ledger_done", "target_value": Decimal("4")}
        elif kind == Target.Kind.MILESTONE:
            extra["target_value"] = None
        t = make_target(plan, sections[i % len(sections)], units[LEADS[i % len(LEADS)]], f"增长目标{i}", **extra)
        if kind == "bound":
            t.metric_params = {"target": t.pk}
            t.save(update_fields=["metric_params"])
            MetricSnapshot.objects.create(target=t, period=dt.date(plan.year, 2, 1), as_of=dt.date(plan.year, 2, 28),
                                          metric=t.metric, params=t.metric_params, value=Decimal("1"))
        t.cooperating_units.add(units["agri"])
        LedgerItem.objects.create(target=t, name=f"事项{i}a", status=LedgerItem.Status.DONE,
                                  completed_on=dt.date(plan.year, 3, 5))
        LedgerItem.objects.create(target=t, name=f"事项{i}b")
        LedgerItem.objects.create(target=t, name=f"事项{i}c", status=LedgerItem.Status.CANCELLED)
        for month in (2, 4, 6):
            for version, review in ((1, ProgressReport.Review.ACCEPTED), (2, ProgressReport.Review.PENDING)):
                ProgressReport.objects.create(
                    target=t, period=dt.date(plan.year, month, 1), version=version, value=Decimal(month * 5 + i % 7),
                    percent=Decimal(month * 8), narrative="进展", submitted_by=users["invest"], review=review,
                )
        supervision_item(units[LEADS[i % len(LEADS)]], on - dt.timedelta(days=1 + i), title=f"督办{i}")
        supervision_item(units["agri"], on + dt.timedelta(days=5 + i), title=f"未到期{i}")


@pytest.mark.parametrize("with_run", [False, True])
@pytest.mark.parametrize(("role", "name"), [("leader", "cockpit:index"), ("supervisor", "cockpit:index"),
                                            ("admin", "cockpit:data")])
def test_query_count_does_not_grow_with_the_data(client, users, units, plan, on, supervision_item, settled_run,
                                                 with_run, role, name):
    if with_run:
        settled_run([units["invest"], units["agri"], units["village"]])
    client.force_login(users[role])
    url = reverse(name) + f"?plan={plan.pk}"
    n = 4
    _grow(plan, units, users, supervision_item, on, n, 0)
    small = queries(client, url)
    _grow(plan, units, users, supervision_item, on, 2 * n, n)  # 3N in all
    large = queries(client, url)
    assert small == large
    assert small <= 40  # a fixed budget: about a dozen reads plus one per month for metrics
