"""The demo hook: last month's bulletin of the demo plan, made by the demo 督查室."""

import datetime as dt

import pytest

from yuanqu.org import roles as Role
from yuanqu.org.models import User
from yuanqu.plans.models import Plan
from yuanqu.reports.demo import build_demo, clear_demo
from yuanqu.reports.models import Bulletin

from ..factories import make_user
from .conftest import FILED_ON, JUNE, YEAR


@pytest.fixture
def demo_supervisor(units):
    user = make_user("demo-supervisor", Role.SUPERVISOR, units["committee"])
    User.objects.filter(pk=user.pk).update(is_demo=True)
    return user


def test_build_demo_generates_last_months_bulletin_as_the_demo_supervisor(june_plan, demo_supervisor, units):
    leader = make_user("demo-leader", Role.LEADER, units["committee"])
    User.objects.filter(pk=leader.pk).update(is_demo=True, full_name="周建国")
    Plan.objects.filter(pk=june_plan.pk).update(is_demo=True)
    build_demo(today=FILED_ON)
    issued, draft = Bulletin.objects.order_by("version")
    assert (issued.plan, issued.month, issued.created_by) == (june_plan, JUNE, demo_supervisor)
    assert (issued.status, issued.issued_by, issued.signer) == (Bulletin.Status.ISSUED, demo_supervisor, "周建国")
    assert issued.file and (draft.version, draft.status, draft.signer) == (2, Bulletin.Status.DRAFT, "周建国")


def test_build_demo_of_a_plan_whose_year_is_over_reports_december(june_plan, demo_supervisor):
    # In January the month just ended belongs to the plan's year, not to the year under way.
    Plan.objects.filter(pk=june_plan.pk).update(is_demo=True)
    build_demo(today=dt.date(YEAR + 1, 1, 10))
    assert set(Bulletin.objects.values_list("month", flat=True)) == {dt.date(YEAR, 12, 1)}


def test_build_demo_skips_quietly_when_the_month_has_nothing(june_plan, demo_supervisor):
    Plan.objects.filter(pk=june_plan.pk).update(is_demo=True)
    build_demo(today=dt.date(YEAR, 3, 5))  # February: no report filed yet
    assert not Bulletin.objects.exists()


def test_build_demo_ignores_plans_that_are_not_the_demos(june_plan, demo_supervisor):
    build_demo(today=FILED_ON)
    assert not Bulletin.objects.exists()


def test_clear_demo_removes_the_demo_bulletins_and_their_files(
    june_plan, demo_supervisor, media_root, django_capture_on_commit_callbacks
):
    Plan.objects.filter(pk=june_plan.pk).update(is_demo=True)
    build_demo(today=FILED_ON)
    path = media_root / Bulletin.objects.get(status=Bulletin.Status.ISSUED).file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        clear_demo()
    assert not Bulletin.objects.exists() and not path.exists()
