"""API fixtures: a client per role, fast password hashing, and small data builders."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core import clock
from yuanqu.plans import services
from yuanqu.plans.models import LedgerItem, ProgressReport, Target

from ...factories import make_target, target

# Among the rows, people holding several roles (tests/conftest.py).
ROLES = ["admin", "supervisor", "leader", "invest", "agri", "village", "nounit", "invest_village", "leader_invest"]
ALL = {"招引项目", "培育新型农民", "三南村", "农民收入"}
READS_ALL = {"admin", "supervisor", "leader", "leader_invest"}  # drafts included
# What each role sees of the plan fixture's four targets (by title start).
VISIBLE = {
    "admin": ALL,
    "supervisor": ALL,
    "leader": ALL,
    "invest": {"招引项目", "农民收入"},  # leads both
    "agri": {"培育新型农民", "三南村", "农民收入"},  # leads one, its village leads one, assists one
    "village": {"三南村"},
    "nounit": set(),
    "invest_village": {"招引项目", "农民收入", "三南村"},  # both units' targets, none of 农业农村局's own
    "leader_invest": ALL,
}


def starts(titles) -> set[str]:
    """Map full titles back to the prefixes used in VISIBLE (other titles stay whole)."""
    return {next((p for p in ALL if t.startswith(p)), t) for t in titles}


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def grown_list(client, url: str, grow, params=None) -> dict:
    """The list's body after growing the data tenfold, asserting its query count did not grow."""
    grow(3)
    # A first read brings any light computed on another day up to date (the daily job's work, once:
    # the suite moves the clock); the measured read is the steady one.
    client.get(url, params or {})
    small = count_queries(lambda: client.get(url, params or {}))
    grow(30)
    client.get(url, params or {})
    responses = []
    assert count_queries(lambda: responses.append(client.get(url, params or {}))) == small
    assert responses[0].status_code == 200
    return responses[0].json()


@pytest.fixture
def this_month() -> str:
    return clock.today().strftime("%Y-%m")


@pytest.fixture
def reports(plan, users, this_month):
    """One pending report on each of the plan's four targets, filed by its lead unit's reporter."""
    filer = {"招引项目": "invest", "培育新型农民": "agri", "三南村": "village", "农民收入": "invest"}
    figures = {
        "招引项目": {"value": "40"},
        "培育新型农民": {"value": "60"},
        "三南村": {"percent": "50"},
        "农民收入": {"value": "5"},
    }
    return {
        start: services.report_submit(
            actor=users[filer[start]],
            target=target(plan, start),
            period=this_month,
            narrative="按计划推进",
            **fig,
        )
        for start, fig in figures.items()
    }


@pytest.fixture
def grow(plan, units, users, this_month):
    """Add `n` targets to the plan, each with a cooperating unit, an accepted report and a ledger item."""

    def add(n: int) -> None:
        sections = list(plan.sections.all())
        leads = [units["invest"], units["agri"], units["village"]]
        for i in range(n):
            kind = Target.Kind.LEDGER if i % 2 else Target.Kind.QUANTITY
            t = make_target(plan, sections[i % 2], leads[i % 3], f"批量目标{i}", kind=kind)
            t.cooperating_units.add(units["area"])
            ProgressReport.objects.create(
                target=t,
                period=f"{this_month}-01",
                value=Decimal(i),
                narrative="批量",
                submitted_by=users["supervisor"],
                review=ProgressReport.Review.ACCEPTED,
            )
            LedgerItem.objects.create(target=t, name=f"事项{i}", unit=leads[i % 3])

    return add
