"""Pages must not issue more queries when the plan has more targets (no N+1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_target
from yuanqu.core import clock
from yuanqu.plans.models import LedgerItem, ProgressReport, Target

from ...access import queries


def _grow(plan, units, user, n: int) -> None:
    """n more targets of every kind, each with an accepted and a pending report and a ledger item."""
    sections = list(plan.sections.all())
    month = clock.today().replace(day=1)
    for i in range(n):
        kind = [Target.Kind.QUANTITY, Target.Kind.LEDGER, Target.Kind.MILESTONE][i % 3]
        t = make_target(plan, sections[i % len(sections)], units["agri"], f"增长目标{i}", kind=kind,
                        target_value=Decimal("10") if kind != Target.Kind.MILESTONE else None)
        t.cooperating_units.add(units["invest"])
        LedgerItem.objects.create(target=t, name=f"事项{i}")
        ProgressReport.objects.create(target=t, period=month, version=1, value=Decimal("3"), percent=Decimal("30"),
                                      narrative="进展", submitted_by=user, review=ProgressReport.Review.ACCEPTED)
        ProgressReport.objects.create(target=t, period=month, version=2, value=Decimal("4"), narrative="更新",
                                      submitted_by=user)


@pytest.mark.parametrize(
    ("role", "page"),
    [("supervisor", "list"), ("agri", "list"), ("supervisor", "overview"), ("agri", "overview"),
     ("supervisor", "review"), ("agri", "my")],
)
def test_query_count_does_not_grow_with_targets(client, users, units, plan, role, page):
    client.force_login(users[role])
    url = {
        "list": reverse("plans:target_list") + f"?plan={plan.pk}",
        "overview": reverse("plans:plan_detail", args=[plan.pk]),
        "review": reverse("plans:review_queue"),
        "my": reverse("plans:my_unit"),
    }[page]
    _grow(plan, units, users["agri"], 3)
    small = queries(client, url)
    _grow(plan, units, users["agri"], 6)
    large = queries(client, url)
    assert small == large


@pytest.mark.parametrize("bound", [False, True])
def test_target_detail_query_count_does_not_grow_with_its_reports_ledger_and_history(client, users, plan, bound):
    from yuanqu.plans import services

    t = plan.targets.get(title__startswith="三南村")
    t.kind = Target.Kind.LEDGER
    if bound:
        t.metric, t.metric_params = "plans.ledger_done", {"target": t.pk}
    t.save()
    client.force_login(users["supervisor"])
    url = reverse("plans:target_detail", args=[t.pk])

    def grow(n):
        for i in range(n):
            item = services.ledger_item_create(actor=users["village"], target=t, data={"name": f"事项{i}"})
            services.ledger_item_update(actor=users["village"], item=item, data={"status": "in_progress"})
            month = dt.date(plan.year, 1 + (i % 9), 1)
            report = services.report_submit(actor=users["village"], target=t, period=month, percent="10",
                                            narrative="进展", today=dt.date(plan.year, 12, 31))
            services.report_accept(actor=users["supervisor"], report=report)

    grow(2)
    client.get(url)  # warm the content-type cache, which is per process, not per request
    small = queries(client, url)
    grow(6)
    assert queries(client, url) == small
