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


# ---------------------------------------------------------------- clocks with suspensions (审批时限)

from yuanqu.core.calendar import explain, nth_workday_after, workdays_used  # noqa: E402


@pytest.mark.django_db
def test_the_nth_working_day_strictly_after_skips_holidays_and_counts_make_up_days():
    # Accepted Fri 2025-09-26: 9-28 (Sun) is a make-up workday; 10-1..10-8 the National Day break.
    assert nth_workday_after(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert nth_workday_after(D(2025, 9, 26), 3) == D(2025, 9, 30)
    assert nth_workday_after(D(2025, 9, 26), 4) == D(2025, 10, 9)
    assert nth_workday_after(D(2025, 9, 26), 0) == D(2025, 9, 26)  # 即办件: the day itself


@pytest.mark.django_db
def test_a_suspension_pushes_the_due_date_by_the_working_days_it_takes():
    # 5 working days after Mon 2026-03-02 is Mon 3-9; a 专家评审 Wed 3-4 .. Mon 3-9 takes 4 working days.
    assert nth_workday_after(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert nth_workday_after(D(2026, 3, 2), 5, suspended=[(D(2026, 3, 4), D(2026, 3, 9))]) == D(2026, 3, 13)
    # A suspension over a weekend only takes its working days.
    assert nth_workday_after(D(2026, 3, 2), 5, suspended=[(D(2026, 3, 7), D(2026, 3, 8))]) == D(2026, 3, 9)


@pytest.mark.django_db
def test_working_days_used_leave_out_holidays_and_suspensions():
    # (2025-09-26, 2025-10-10]: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11 is after the end → 5
    assert workdays_used(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert workdays_used(D(2025, 9, 26), D(2025, 10, 10), suspended=[(D(2025, 9, 29), D(2025, 10, 9))]) == 2
    assert workdays_used(D(2025, 9, 26), D(2025, 9, 26)) == 0
    with pytest.raises(CalendarMissing):
        workdays_used(D(2030, 12, 1), D(2031, 1, 5))


@pytest.mark.django_db
def test_the_clock_explained_names_holidays_make_up_days_and_suspensions(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        days = explain(D(2025, 9, 26), D(2025, 10, 10), suspended=[((D(2025, 9, 30), D(2025, 9, 30)), "专家评审")])
    by_day = {d.day: d for d in days}
    assert by_day[D(2025, 9, 27)].reason == "周末" and not by_day[D(2025, 9, 27)].counted
    assert by_day[D(2025, 9, 28)].reason == "国庆节调休上班" and by_day[D(2025, 9, 28)].number == 1
    assert by_day[D(2025, 9, 30)].reason == "中止：专家评审（工作日）" and not by_day[D(2025, 9, 30)].counted
    assert by_day[D(2025, 10, 3)].reason == "国庆节"
    assert by_day[D(2025, 10, 10)].number == 4 and days[-1].day == D(2025, 10, 10)
