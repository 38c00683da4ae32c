"""A case's clocks on the work calendar: due dates, working days used, suspensions, refusals, the
post-approval inspection, and recomputation after the calendar changes."""

import pytest

from yuanqu.approvals import services
from yuanqu.approvals.models import Case, Inspection
from yuanqu.core.calendar import CalendarMissing
from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import CalendarDay, ChangeRecord

from .conftest import D


def test_due_date_is_the_nth_working_day_after_acceptance_across_a_holiday_and_make_up_day(make_case):
    # 2025-09-26 (Fri) accepted, 2 working days: 9-28 (Sun, make-up) and 9-29.
    case = make_case(received_on=D(2025, 9, 26), accepted_on=D(2025, 9, 26), decided_on=D(2025, 10, 9))
    assert case.due_on == D(2025, 9, 29)
    # Decided after the National Day break: 9-28, 9-29, 9-30, 10-9 → 4 working days, late.
    assert (case.days_accepted_decided, case.late) == (4, True)
    instant = make_case("instant", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 2))
    assert (instant.due_on, instant.days_accepted_decided, instant.late) == (D(2026, 3, 2), 0, False)


def test_suspensions_push_the_due_date_and_leave_the_clock(make_case):
    case = make_case("permit", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 27),
                     suspensions_text="公示 2026-03-18至2026-03-24；专家评审：2026/3/4~2026/3/9")
    # 10 working days after 3-2 is 3-16; the suspensions take 4 (3-4..3-9) + 5 (3-18..3-24) working days.
    assert case.due_on == D(2026, 3, 27)
    assert case.suspensions_text == "专家评审 2026-03-04至2026-03-09；公示 2026-03-18至2026-03-24"
    assert (case.days_accepted_decided, case.suspended_days, case.late) == (10, 9, False)
    assert [(s.kind, s.start_on) for s in case.suspensions.all()] == [("expert", D(2026, 3, 4)),
                                                                       ("publicity", D(2026, 3, 18))]


def test_a_clock_from_receipt_leaves_out_the_applicants_correction(make_case):
    case = make_case("estate", received_on=D(2026, 3, 2), correction_notice_on=D(2026, 3, 3),
                     correction_done_on=D(2026, 3, 10), accepted_on=D(2026, 3, 10), decided_on=D(2026, 3, 11),
                     delivered_on=D(2026, 3, 12))
    # received→delivered: 3-3 counts, 3-4..3-10 is the applicant's, then 3-11 and 3-12.
    assert (case.days_received_delivered, case.days_accepted_decided, case.days_received_decided) == (3, 1, 2)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"accepted_on": D(2026, 3, 9), "decided_on": D(2026, 3, 5)}, "accepted_on",
     "受理日期（2026-03-09）不能晚于办结日期（2026-03-05）。"),
    ({"accepted_on": D(2026, 3, 2), "decided_on": D(2026, 3, 5), "suspensions_text": "听证 2026-03-04至2026-03-12"},
     "suspensions_text", "中止时段“听证 2026-03-04至2026-03-12”不在办件期间内（收件日期 2026-03-02 至办结日期 2026-03-05）。"),
    ({"accepted_on": D(2026, 3, 2), "suspensions_text": "听证 2026-03-06至2026-03-04"}, "suspensions_text",
     "中止时段“听证 2026-03-06至2026-03-04”的结束日期早于开始日期。"),
    ({"accepted_on": D(2026, 3, 2), "suspensions_text": "开会 2026-03-04至2026-03-05"}, "suspensions_text",
     "类型“开会”不可用"),
    ({"decided_on": D(2026, 3, 5)}, "accepted_on", "填写了办结日期，须先填写受理日期。"),
    ({"accepted_on": D(2026, 9, 20)}, "accepted_on", "不能晚于今天"),
])
def test_bad_dates_are_refused_naming_the_field_and_nothing_is_written(make_case, data, field, message):
    with pytest.raises(ApplicationError) as caught:
        make_case(received_on=D(2026, 3, 2), **data)
    assert caught.value.field == field and message in caught.value.message
    assert not Case.objects.exists() and not ChangeRecord.objects.filter(content_type__model="case").exists()


def test_a_year_the_calendar_does_not_know_fails_loudly(make_case, clock):
    clock.set_today(D(2031, 6, 1))
    with pytest.raises(CalendarMissing, match="工作日历暂无2030年的数据"):
        make_case(received_on=D(2030, 3, 1), accepted_on=D(2030, 3, 1))
    assert not Case.objects.exists()


def test_a_decided_commitment_case_gets_its_inspection_with_its_own_deadline(make_case, approver):
    case = make_case("permit", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2))
    assert not Inspection.objects.exists()
    services.case_update(actor=approver, case=case, data={"decided_on": D(2026, 3, 10)}, expected_version=1)
    inspection = Inspection.objects.get(case=case)
    assert (inspection.due_on, inspection.outcome) == (D(2026, 3, 17), "pending")  # 5 working days
    with pytest.raises(ApplicationError, match="核查不通过时请写明核查意见"):
        services.inspection_record(actor=approver, inspection=inspection, data={"outcome": "failed"})
    done = services.inspection_record(actor=approver, inspection=inspection,
                                      data={"outcome": "failed", "note": "现场未按承诺配备消防设施", "checked_on": D(2026, 3, 16)})
    assert (done.outcome, done.checked_by, done.version) == ("failed", approver, 2)
    assert make_case("open", received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 3))
    assert Inspection.objects.count() == 1  # an item without 告知承诺 gets none


def test_recompute_after_the_calendar_changes_moves_due_dates_and_durations(make_case):
    case = make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 4))
    assert (case.due_on, case.days_accepted_decided, case.late) == (D(2026, 3, 4), 2, False)
    CalendarDay.objects.create(date=D(2026, 3, 3), is_workday=False, name="园区停电放假")
    assert services.cases_recompute(since=D(2026, 1, 1)) == 1
    case.refresh_from_db()
    assert (case.due_on, case.days_accepted_decided, case.late) == (D(2026, 3, 5), 1, False)
    assert services.cases_recompute() == 0  # nothing more to change


def test_a_reader_cannot_write_cases(make_case, users):
    with pytest.raises(ApplicationError, match="只有行政审批局"):
        services.case_create(actor=users["leader"], data={})


def test_an_admin_edit_of_the_calendar_recomputes_the_cases_it_touches(make_case, users, rf):
    from django.contrib.admin.sites import site

    from yuanqu.core.admin import CalendarDayAdmin

    touched = make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 4))
    before = make_case(received_on=D(2026, 2, 2), accepted_on=D(2026, 2, 2), decided_on=D(2026, 2, 4))
    day = CalendarDay(date=D(2026, 3, 3), is_workday=False, name="园区停电放假")
    CalendarDayAdmin(CalendarDay, site).save_model(rf.post("/"), day, form=None, change=False)
    touched.refresh_from_db()
    assert (touched.due_on, touched.days_accepted_decided) == (D(2026, 3, 5), 1)
    assert Case.objects.get(pk=before.pk).version == 1 and Case.objects.get(pk=before.pk).due_on == D(2026, 2, 4)


def test_the_recompute_command(make_case, capsys):
    from django.core.management import call_command

    case = make_case(received_on=D(2026, 3, 2), accepted_on=D(2026, 3, 2), decided_on=D(2026, 3, 4))
    CalendarDay.objects.create(date=D(2026, 3, 3), is_workday=False)
    call_command("approvals", "recompute", "--since", "2026-01-01")
    assert "1 件办件的计时有变化" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.late is False and case.days_accepted_decided == 1
