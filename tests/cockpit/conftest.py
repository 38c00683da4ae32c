"""Fixtures for the cockpit tests: a fixed 'today' (mid-year of the plan fixture's year), and
builders for accepted reports, 督办单 and a settled assessment run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yuanqu.assessment.models import Run, RunResult, Scheme
from yuanqu.core import clock
from yuanqu.plans import stored
from yuanqu.plans.models import ProgressReport
from yuanqu.supervision.models import SupervisionItem


def pytest_collection_modifyitems(items):
    # WhiteNoise warns about the (uncollected) STATIC_ROOT on every test client.
    for item in items:
        if "tests/cockpit/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture
def on(plan, monkeypatch) -> dt.date:
    """The cockpit's 'today': 30 June of the plan's year (序时进度 181/365 = 49.59%)."""
    day = dt.date(plan.year, 6, 30)
    clock.set_today(day)
    # The day changed: the daily job stores the lights of the new day (plans.stored), as cron would,
    # so a page's query count is not that of a one-time catch-up.
    stored.refresh_all(day)
    return day


@pytest.fixture
def accept(users):
    """accept(target, month, value=None, percent=None, version=1): an accepted report for that month."""

    def make(target, month: int, *, value=None, percent=None, version: int = 1, review=None):
        return ProgressReport.objects.create(
            target=target, period=dt.date(target.plan.year, month, 1), version=version,
            value=None if value is None else Decimal(str(value)),
            percent=None if percent is None else Decimal(str(percent)),
            narrative="进展", submitted_by=users["invest"],
            review=review or ProgressReport.Review.ACCEPTED,
        )

    return make


@pytest.fixture
def supervision_item(users):
    """supervision_item(lead_unit, deadline, state=assigned): a 督办单 written directly (reads only)."""
    counter = {"seq": 0}

    def make(lead_unit, deadline: dt.date, *, state=SupervisionItem.State.ASSIGNED, title="督办事项"):
        counter["seq"] += 1
        seq = counter["seq"]
        closed = deadline if state == SupervisionItem.State.CLOSED else None
        return SupervisionItem.objects.create(
            year=deadline.year, seq=seq, number=f"督办〔{deadline.year}〕第{seq}号", title=title,
            lead_unit=lead_unit, deadline=deadline, state=state, closed_on=closed,
        )

    return make


@pytest.fixture
def settled_run(plan):
    """settled_run(order, status=signed_off): a run of the plan's year ranking the given units in order."""

    def make(units_in_order, *, status=Run.Status.SIGNED_OFF, number=1, scheme=None):
        scheme = scheme or Scheme.objects.create(year=plan.year, name="考核方案", status=Scheme.Status.ACTIVE)
        run = Run.objects.create(
            scheme=scheme, number=number, on=dt.date(plan.year, 6, 30), status=status, snapshot={},
            unit_count=len(units_in_order),
            signed_off_at=None if status == Run.Status.COMPUTED else timezone.now(),
        )
        for rank, unit in enumerate(units_in_order, start=1):
            score = Decimal(100 - 5 * rank)
            RunResult.objects.create(
                run=run, unit=unit, unit_name=unit.name, rank=rank, total=score, indicator=score,
                bonus=Decimal("0"), deduction=Decimal("0"), grade="优秀" if rank == 1 else "良好",
                grade_level=0 if rank == 1 else 1,
            )
        return run

    return make
