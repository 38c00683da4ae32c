"""The petition clocks of the 信访工作条例 — 15 days to tell acceptance, 60 to handle, +30 once
extended, 30 for 复查 and 复核 — counted in calendar days by default and in working days when the
kind's setting says so (holidays skipped, make-up days worked); a year the work calendar does not
know fails loudly; each case keeps the limits it was registered with; lights red/amber/green."""

import datetime as dt

import pytest

from yuanqu.core.calendar import CalendarMissing, calendar_changed
from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import CalendarDay
from yuanqu.disputes import services
from yuanqu.disputes.models import CaseEvent, DisputeCase, TimeLimit

from .conftest import D, step

# An oracle independent of the code under test: the State Council's 2025–2026 notices as listed.
OFF = ({D(2025, 10, d) for d in range(1, 9)} | {D(2026, 1, d) for d in (1, 2, 3)}
       | {D(2026, 2, d) for d in range(15, 24)} | {D(2026, 4, 6)} | {D(2026, 5, d) for d in range(1, 6)})
MAKE_UP = {D(2025, 9, 28), D(2025, 10, 11), D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9)}


def by_hand(start: dt.date, days: int) -> dt.date:
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day in MAKE_UP or (day.weekday() < 5 and day not in OFF):
            counted += 1
    return day


def working(kind="petition"):
    TimeLimit.objects.filter(kind=kind).update(day_type="working")


def test_calendar_days_by_default_15_60_plus_30_and_30_for_review_and_re_review(make_case, clock):
    clock.set_today(D(2026, 6, 30))
    case = make_case(received_on=D(2025, 9, 26))
    assert case.day_type == "calendar" and case.acceptance_due == D(2025, 10, 11)  # 9-26 + 15
    case = step(case, "accept", on=D(2025, 10, 10))
    assert case.handling_due == D(2025, 12, 9)  # the 60 days start the day after acceptance
    case = step(case, "extend", on=D(2025, 12, 1), approver="区信访联席会议", comment="涉及多个部门")
    assert case.extended_due == D(2026, 1, 8) and case.final_due == D(2026, 1, 8)
    case = step(case, "answer", on=D(2026, 1, 5), comment="按政策补偿")
    case = step(case, "request_review", on=D(2026, 2, 4))  # the 30th day after the answer: still in time
    assert case.review_due == D(2026, 3, 6)
    case = step(case, "review", on=D(2026, 3, 1), comment="维持原意见")
    case = step(case, "request_rereview", on=D(2026, 3, 20))
    assert case.rereview_due == D(2026, 4, 19)
    case = step(case, "rereview", on=D(2026, 4, 10), comment="维持")
    assert case.state == "closed" and case.closed_on == D(2026, 4, 10)
    assert [(c.key, c.light) for c in case.clocks(D(2026, 6, 30))] == [
        ("acceptance", "green"), ("handling", "green"), ("extended", "green"), ("review", "green"),
        ("rereview", "green")]
    assert not case.is_overdue(D(2026, 6, 30))


def test_working_days_skip_the_national_day_and_new_year_and_count_make_up_days(make_case, clock):
    clock.set_today(D(2026, 6, 30))
    working()
    case = make_case(received_on=D(2025, 9, 26))
    assert case.day_type == "working"
    assert case.acceptance_due == by_hand(D(2025, 9, 26), 15) == D(2025, 10, 23)
    case = step(case, "accept", on=D(2025, 10, 10))
    assert case.handling_due == by_hand(D(2025, 10, 10), 60)
    case = step(case, "extend", on=case.handling_due, approver="主任", comment="情况复杂")
    assert case.extended_due == by_hand(case.handling_due, 30)
    assert case.extended_due > D(2026, 1, 4)  # across New Year and its make-up Sunday
    case = step(case, "answer", on=D(2026, 2, 10), comment="答复")
    # The review window crosses the Spring Festival, the review itself 清明 and 劳动节.
    last = by_hand(D(2026, 2, 10), 30)
    with pytest.raises(ApplicationError) as late:
        step(case, "request_review", on=last + dt.timedelta(days=1))
    assert late.value.field == "on" and f"即{last:%Y-%m-%d}前提出" in late.value.message
    case = step(case, "request_review", on=last)
    assert case.review_due == by_hand(last, 30)


def test_a_working_day_clock_into_a_year_the_calendar_does_not_know_fails_loudly_and_writes_nothing(
        make_case, clock):
    clock.set_today(D(2026, 12, 28))
    working()
    with pytest.raises(CalendarMissing, match="工作日历暂无2027年的数据"):
        make_case(received_on=D(2026, 12, 28))
    assert not DisputeCase.objects.exists()
    # A calendar-day petition the same day needs no calendar.
    TimeLimit.objects.filter(kind="petition").update(day_type="calendar")
    case = make_case(received_on=D(2026, 12, 28))
    working()
    case.day_type = "working"
    DisputeCase.objects.filter(pk=case.pk).update(day_type="working")
    with pytest.raises(CalendarMissing):
        step(case, "accept", on=D(2026, 12, 28))
    fresh = DisputeCase.objects.get(pk=case.pk)
    assert fresh.state == "registered" and fresh.version == 1 and not CaseEvent.objects.exists()


def test_an_edited_limit_applies_to_cases_registered_after_it(zone, make_case):
    before = make_case()
    limit = TimeLimit.objects.get(kind="petition")
    services.limit_save(actor=zone["office"], limit=limit, data={"acceptance_days": 10, "handling_days": 30})
    after = make_case()
    assert (before.acceptance_days, before.acceptance_due) == (15, D(2026, 9, 16))
    assert (after.acceptance_days, after.acceptance_due) == (10, D(2026, 9, 11))
    assert TimeLimit.objects.get(kind="petition").version == 2
    with pytest.raises(ApplicationError, match="无权|只有"):
        services.limit_save(actor=zone["invest"], limit=limit, data={"handling_days": 5})
    with pytest.raises(ApplicationError) as bad:
        services.limit_save(actor=zone["office"], limit=limit, data={"day_type": "lunar"})
    assert bad.value.field == "day_type"


def test_lights_are_green_amber_then_red_and_the_open_clock_counts_as_overdue(make_case, clock):
    case = make_case(received_on=D(2026, 9, 1))  # acceptance due 9-16; amber within 5 days
    on = {c.key: c for c in case.clocks(D(2026, 9, 10))}
    assert on["acceptance"].light == "green" and on["acceptance"].days_left == 6
    assert case.clocks(D(2026, 9, 11))[0].light == "amber"
    assert case.clocks(D(2026, 9, 16))[0].light == "amber"  # the last day is still in time
    late = case.clocks(D(2026, 9, 17))[0]
    assert late.light == "red" and late.state_text == "已逾期 1 天"
    assert case.is_overdue(D(2026, 9, 17))
    assert set(DisputeCase.objects.filter(DisputeCase.overdue_q(D(2026, 9, 17)))) == {case}
    assert not DisputeCase.objects.filter(DisputeCase.overdue_q(D(2026, 9, 16))).exists()


def test_a_calendar_edit_moves_open_working_day_due_dates(make_case, clock):
    working()
    case = make_case(received_on=D(2026, 9, 1))
    due = case.acceptance_due
    CalendarDay.objects.create(date=D(2026, 9, 7), is_workday=False, name="园区停电放假")
    calendar_changed(D(2026, 9, 7))
    moved = DisputeCase.objects.get(pk=case.pk).acceptance_due
    assert moved > due
