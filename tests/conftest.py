"""Shared fixtures: a small zone (units, one user per role) and a small active plan."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from yuanqu.core import clock as core_clock
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Plan, Section, Target

from .factories import make_bureau, make_keeper, make_target, make_user

pytest_plugins = ["tests.browser_fixtures"]


# What every test runs with (the autouse `test_settings` below; `module_test_settings` for a fixture
# that builds data once for a module).
TEST_SETTINGS = {
    # PBKDF2 at full strength costs ~0.3 s per user; tests create many users.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Background jobs run at once, inside the test (no worker process).
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    # The full demo's 2,000 enterprises are built by tests/enterprises/test_demo.py; elsewhere a few do.
    "YUANQU_DEMO_ENTERPRISES": 150,
    # Likewise the year of grid events, inspections and disputes: their own test_demo builds the full year.
    "YUANQU_DEMO_GRID_EVENTS": 400,
    "YUANQU_DEMO_INSPECTIONS": 80,
    "YUANQU_DEMO_DISPUTES": 80,
    # Bound targets re-read on every page read, so a test sees a register's write at once
    # (tests/plans/test_stored_status.py tests the pause between re-reads).
    "YUANQU_BOUND_REFRESH_SECONDS": 0,
    # Likewise the cockpit's figures and register tiles are read afresh (tests/cockpit and
    # tests/core/test_panels.py test the caches).
    "YUANQU_COCKPIT_CACHE_SECONDS": 0,
    "YUANQU_PANEL_CACHE_SECONDS": 0,
}


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    # Uploads and generated documents go to a per-test folder, never into the data folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@contextlib.contextmanager
def module_test_settings(tmp_path_factory):
    """The settings and the day of `test_settings` and `clock`, for a module-scoped fixture (which
    runs before the function-scoped autouse ones)."""
    with override_settings(**TEST_SETTINGS, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        core_clock.set_today(TEST_TODAY)
        try:
            yield
        finally:
            core_clock.set_today(None)


# The day every test runs on, unless it moves the clock: a working Tuesday in September, so that
# 序时进度 is mid-way and the suite reads the same whatever the real date (and whichever years the
# holiday calendar knows).
TEST_TODAY = dt.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def clock():
    """The platform's one clock (core.clock), fixed for the test; `clock.set_today(day)` moves it."""
    core_clock.set_today(TEST_TODAY)
    yield core_clock
    core_clock.set_today(None)


@pytest.fixture
def units(db):
    committee = OrgUnit.objects.create(name="管委会", kind=OrgUnit.Kind.COMMITTEE)
    invest = OrgUnit.objects.create(name="招商局", kind=OrgUnit.Kind.DEPARTMENT, parent=committee)
    agri = OrgUnit.objects.create(name="农业农村局", kind=OrgUnit.Kind.DEPARTMENT, parent=committee)
    area = OrgUnit.objects.create(name="三和片区", kind=OrgUnit.Kind.AREA, parent=agri)
    village = OrgUnit.objects.create(name="三南村", kind=OrgUnit.Kind.VILLAGE, parent=area)
    return {"committee": committee, "invest": invest, "agri": agri, "area": area, "village": village}


class Users(dict):
    """The users by role; the people holding several roles are made on first use, so that tests
    not asking for them (notices, counts of reporters) see exactly one user per role."""

    def __init__(self, units, *args):
        super().__init__(*args)
        self.units = units

    def __missing__(self, key):
        u = self.units
        several = {
            # Reporter for 招商局 and for 三南村: both units' targets, nothing of 农业农村局's own.
            "invest_village": lambda: make_user("investvillage1", Role.REPORTER, u["invest"],
                                                also=[(Role.REPORTER, u["village"])]),
            # A leader (reads everything) who also reports for 招商局.
            "leader_invest": lambda: make_user("leaderinvest1", Role.LEADER, u["committee"],
                                               also=[(Role.REPORTER, u["invest"])]),
        }
        if key not in several:
            raise KeyError(key)
        self[key] = several[key]()
        return self[key]


@pytest.fixture
def users(units):
    return Users(units, {
        "admin": make_user("admin1", Role.ADMIN, units["committee"]),
        "supervisor": make_user("super1", Role.SUPERVISOR, units["committee"]),
        "leader": make_user("leader1", Role.LEADER, units["committee"]),
        "invest": make_user("invest1", Role.REPORTER, units["invest"]),
        "agri": make_user("agri1", Role.REPORTER, units["agri"]),
        "village": make_user("village1", Role.REPORTER, units["village"]),
        "nounit": make_user("nounit1", Role.REPORTER, None),
    })


@pytest.fixture
def economy_unit(units):
    """The 经发局, which keeps the enterprise register (the enterprises, visits and clean-up tests)."""
    return make_bureau(units, "经济发展局", "经发局")


@pytest.fixture
def economy(economy_unit):
    """The 经发局's enterprise keeper: 经发局企业管理员 beside 单位填报员."""
    return make_keeper("economy1", ECONOMY, economy_unit)


@pytest.fixture
def plan(units):
    """An active plan of the current year with targets led by different units."""
    year = core_clock.today().year
    plan = Plan.objects.create(year=year, title="测试计划", source_text="一、招商。二、乡村。", status=Plan.Status.ACTIVE)
    s1 = Section.objects.create(plan=plan, no="一", title="招商", order=0)
    s2 = Section.objects.create(plan=plan, no="二", title="乡村", order=1)
    make_target(plan, s1, units["invest"], "招引项目100个")
    make_target(plan, s2, units["agri"], "培育新型农民不少于150人", target_value=Decimal("150"), unit="人")
    make_target(plan, s2, units["village"], "三南村创建成省级水美乡村", kind=Target.Kind.MILESTONE,
                comparator="", target_value=None, unit="")
    assisted = make_target(plan, s1, units["invest"], "农民收入提升10%以上", kind=Target.Kind.RATIO,
                           target_value=Decimal("10"), unit="%")
    assisted.cooperating_units.add(units["agri"])
    return plan


@pytest.fixture
def client_as(users):
    """A session-authenticated API client for a role name ("anonymous" for none)."""

    def make(role: str):
        from rest_framework.test import APIClient

        client = APIClient()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return make
