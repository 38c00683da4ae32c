"""`yuanqu demo` on a database that is not empty or with bad options: refused, nothing written;
and the passwords the environment gives (each test builds its own demo)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.demo import PASSWORD_ENV
from yuanqu.plans.models import Plan

from .test_demo_command import printed_passwords, run_demo

pytestmark = pytest.mark.django_db


def test_demo_refuses_a_database_with_real_data(units):
    with pytest.raises(CommandError) as exc:
        run_demo()
    assert f"非演示数据（单位 {len(units)} 个）" in str(exc.value) and "新建的空数据库" in str(exc.value)
    assert not Plan.objects.exists() and not User.objects.filter(is_demo=True).exists()
    assert OrgUnit.objects.count() == len(units)


def test_demo_refuses_even_a_database_with_only_a_real_administrator():
    User.objects.create_superuser("root", password="a-real-secret-1")
    with pytest.raises(CommandError, match="用户 1 个"):
        run_demo()
    assert not User.objects.filter(is_demo=True).exists()


def test_the_environment_gives_every_demo_account_its_password(monkeypatch):
    # Random passwords, fresh at each build: test_demo_command.py (its shared demo, built twice).
    monkeypatch.setenv(PASSWORD_ENV, "peixun-shi-2026")
    out = run_demo()
    assert set(printed_passwords(out).values()) == {"peixun-shi-2026"} and PASSWORD_ENV in out
    assert User.objects.get(username="supervisor").check_password("peixun-shi-2026")


def test_demo_rejects_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo", "--today", "2026-02-30", stdout=StringIO())
    assert not Plan.objects.exists()


def test_from_november_the_demo_counts_next_year_monday_to_friday_and_says_so(monkeypatch):
    """`make demo` on 4 December: a request's 20 working days run into a year the holiday package
    does not know yet. The demo (never a real database) records that year as counted Monday–Friday,
    with the reason in the calendar's basis field; before November, or when the year is entered,
    it leaves the calendar alone."""
    import datetime as dt

    import chinese_calendar

    from yuanqu.core.calendar import WorkCalendar
    from yuanqu.core.models import CalendarYear
    from yuanqu.plans.demo import DEMO_CALENDAR_NOTE, demo_next_year_calendar

    known = chinese_calendar.is_workday

    def unknown_after_2026(day):
        if day.year > 2026:
            raise NotImplementedError
        return known(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", unknown_after_2026)
    demo_next_year_calendar(dt.date(2026, 10, 30))
    assert not CalendarYear.objects.exists()
    demo_next_year_calendar(dt.date(2026, 12, 4))
    year = CalendarYear.objects.get()
    assert (year.year, year.complete, year.note) == (2027, True, DEMO_CALENDAR_NOTE)
    days = WorkCalendar(dt.date(2027, 1, 1), dt.date(2027, 1, 10))
    assert days.is_workday(dt.date(2027, 1, 4)) and not days.is_workday(dt.date(2027, 1, 9))
    year.note = "国务院办公厅通知"
    year.save()
    demo_next_year_calendar(dt.date(2026, 12, 5))  # entered by then: left as it is
    assert list(CalendarYear.objects.values_list("note", flat=True)) == ["国务院办公厅通知"]


def test_a_large_demo_scale_that_is_not_positive_is_refused_before_anything_is_built():
    with pytest.raises(CommandError, match="--scale"):
        run_demo("--size", "large", "--scale", "0")
    assert not Plan.objects.exists()
