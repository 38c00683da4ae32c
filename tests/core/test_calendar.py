"""Working days: the administrator's calendar, then the package; a year neither knows fails loudly."""

import datetime as dt

import pytest

from yuanqu.core.calendar import CalendarMissing, add_workdays, workdays_between
from yuanqu.core.models import CalendarDay, CalendarYear

D = dt.date


@pytest.mark.django_db
def test_package_days_count_holidays_and_make_up_saturdays():
    # 2025-09-29 (Mon) + 3 working days: 9-30, then after the National Day break 10-9 and 10-10
    assert add_workdays(D(2025, 9, 29), 3) == D(2025, 10, 10)
    # from a holiday: 10-9, 10-10 and the make-up Saturday 10-11 (the package's find_workday says 10-13)
    assert add_workdays(D(2025, 10, 4), 3) == D(2025, 10, 11)
    assert add_workdays(D(2025, 10, 4), 0) == D(2025, 10, 4)


@pytest.mark.django_db
def test_the_administrators_entries_override_the_package():
    CalendarDay.objects.create(date=D(2025, 9, 30), is_workday=False, name="园区停电放假")
    assert add_workdays(D(2025, 9, 29), 1) == D(2025, 10, 9)


@pytest.mark.django_db
def test_a_year_nobody_knows_fails_loudly_in_chinese():
    with pytest.raises(CalendarMissing, match="工作日历暂无2030年的数据"):
        add_workdays(D(2030, 12, 30), 5)


@pytest.mark.django_db
def test_a_year_the_administrator_completed_uses_its_listed_days_and_monday_to_friday():
    CalendarYear.objects.create(year=2031, complete=True, note="测试通知")
    CalendarDay.objects.create(date=D(2031, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=D(2031, 1, 4), is_workday=True, name="元旦调休")  # a Saturday
    # 2030 is unknown, so start on the last day of 2030 and only count 2031 days
    CalendarYear.objects.create(year=2030, complete=True)
    assert add_workdays(D(2030, 12, 31), 3) == D(2031, 1, 4)  # 1-2 Thu, 1-3 Fri, 1-4 Sat (make-up)
    assert workdays_between(D(2030, 12, 31), D(2031, 1, 6)) == 4  # 1-2, 1-3, 1-4, 1-6


@pytest.mark.django_db
def test_reading_a_long_span_costs_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        add_workdays(D(2025, 1, 2), 200)
