"""`yuanqu remind`: due-soon, overdue and unfiled-report notices, each sent once."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yuanqu.core.models import Notification
from yuanqu.core.periods import default_period
from yuanqu.plans import services as plan_services
from yuanqu.supervision import reminders, services
from yuanqu.supervision.models import State

from ..factories import target
from .conftest import TODAY


def remind(*args) -> tuple[str, dict[str, int]]:
    out = StringIO()
    call_command("remind", *args, stdout=out, stderr=StringIO())
    text = out.getvalue()
    total = re.search(r"合计.*新建 (\d+) 条，跳过 (\d+) 条，失败 (\d+) 项", text)
    return text, {"created": int(total[1]), "skipped": int(total[2]), "failed": int(total[3])}


def keys(user):
    return set(Notification.objects.filter(recipient=user, kind__in=["reminder", "report"])
               .values_list("key", flat=True))


def test_due_soon_reaches_the_lead_unit_within_the_window(make_item, users):
    soon = make_item(State.ASSIGNED, deadline=TODAY + dt.timedelta(days=3))
    later = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=4))
    make_item(State.REGISTERED, deadline=TODAY + dt.timedelta(days=1))  # not handed over yet
    make_item(State.FEEDBACK, deadline=TODAY + dt.timedelta(days=1))  # the unit has answered
    reminders.send_reminders(today=TODAY)
    assert keys(users["village"]) == {f"supervision:{soon.pk}:due:{soon.deadline:%Y-%m-%d}"}
    reminders.send_reminders(today=TODAY, days_ahead=4)
    assert f"supervision:{later.pk}:due:{later.deadline:%Y-%m-%d}" in keys(users["village"])
    assert keys(users["supervisor"]) == set()


def test_overdue_reaches_the_lead_unit_and_the_office(make_item, users):
    past = TODAY - dt.timedelta(days=20)
    working = make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1), today=past)
    answered = make_item(State.FEEDBACK, deadline=TODAY - dt.timedelta(days=2), today=past)
    closed = make_item(State.CLOSED, deadline=TODAY - dt.timedelta(days=2), today=past)
    reminders.send_reminders(today=TODAY)
    key = f"supervision:{working.pk}:overdue:{working.deadline:%Y-%m-%d}"
    answered_key = f"supervision:{answered.pk}:overdue:{answered.deadline:%Y-%m-%d}"
    assert keys(users["village"]) == {key}
    assert keys(users["supervisor"]) == {key, answered_key}
    assert not Notification.objects.filter(key__startswith=f"supervision:{closed.pk}:overdue").exists()
    notice = Notification.objects.get(recipient=users["village"], key=key)
    assert "已逾期1天" in notice.title and notice.url == f"/supervision/{working.pk}/"


def test_remind_twice_notifies_once(make_item, users):
    make_item(State.ASSIGNED, deadline=TODAY + dt.timedelta(days=1))
    make_item(State.IN_PROGRESS, deadline=TODAY - dt.timedelta(days=1), today=TODAY - dt.timedelta(days=9))
    text, first = remind("--today", f"{TODAY:%Y-%m-%d}")
    count = Notification.objects.count()
    assert first["created"] == 3 and first["failed"] == 0  # due → village; overdue → village + supervisor
    assert "督办即将到期：新建 1 条" in text
    _, second = remind("--today", f"{TODAY:%Y-%m-%d}")
    assert second == {"created": 0, "skipped": 3, "failed": 0}
    assert Notification.objects.count() == count


def test_an_approved_extension_gets_a_fresh_reminder(make_item, users):
    item = make_item(State.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=1))
    reminders.send_reminders(today=TODAY)
    request = services.extension_request(actor=users["village"], item=item,
                                         requested_deadline=TODAY + dt.timedelta(days=2), reason="原因",
                                         progress="进展")
    services.extension_approve(actor=users["supervisor"], request=request)
    reminders.send_reminders(today=TODAY)
    due = {k for k in keys(users["village"]) if ":due:" in k}
    assert len(due) == 2


def test_monthly_reports_not_filed_for_last_month(plan, users):
    today = dt.date(plan.year, 3, 10)
    filed = target(plan, "培育新型农民")
    plan_services.report_submit(actor=users["agri"], target=filed, period=dt.date(plan.year, 2, 1), value="20",
                                narrative="推进中", today=today)
    later = target(plan, "三南村")
    later.start_date = dt.date(plan.year, 4, 1)
    later.save()
    tally = reminders.send_reminders(today=today)["report"]
    month = f"{plan.year}-02"
    assert keys(users["invest"]) == {f"report:{target(plan, '招引项目').pk}:{month}",
                                     f"report:{target(plan, '农民收入').pk}:{month}"}
    assert keys(users["agri"]) == set() and keys(users["village"]) == set()
    assert (tally.created, tally.skipped, tally.failed) == (2, 0, 0)
    assert reminders.send_reminders(today=today)["report"].created == 0
    notice = Notification.objects.filter(recipient=users["invest"]).first()
    assert "2月" in notice.title and notice.url.startswith("/targets/")


def test_in_january_the_reminder_asks_for_the_month_the_unit_page_asks_for(plan, users):
    today = dt.date(plan.year, 1, 10)
    january = dt.date(plan.year, 1, 1)
    assert default_period(plan.year, today) == january  # what the "my unit" page asks for
    plan_services.report_submit(actor=users["agri"], target=target(plan, "培育新型农民"), period=january,
                                value="5", narrative="起步", today=today)
    reminders.send_reminders(today=today)
    month = f"{plan.year}-01"
    assert keys(users["invest"]) == {f"report:{target(plan, '招引项目').pk}:{month}",
                                     f"report:{target(plan, '农民收入').pk}:{month}"}
    assert keys(users["village"]) == {f"report:{target(plan, '三南村').pk}:{month}"}
    assert keys(users["agri"]) == set()
    assert "1月" in Notification.objects.filter(recipient=users["invest"]).first().title


def test_a_past_years_active_plan_is_reminded_for_its_december(plan, users):
    today = dt.date(plan.year + 1, 3, 10)
    december = dt.date(plan.year, 12, 1)
    assert default_period(plan.year, today) == december
    plan_services.report_submit(actor=users["agri"], target=target(plan, "培育新型农民"), period=december,
                                value="150", narrative="完成", today=today)
    assert reminders.send_reminders(today=today)["report"].created == 3  # invest: 2 targets, village: 1
    assert keys(users["village"]) == {f"report:{target(plan, '三南村').pk}:{plan.year}-12"}
    assert keys(users["agri"]) == set()


def test_one_failure_does_not_stop_the_others(make_item, users, monkeypatch):
    bad = make_item(State.ASSIGNED, deadline=TODAY + dt.timedelta(days=1))
    good = make_item(State.ASSIGNED, deadline=TODAY + dt.timedelta(days=2))
    real = reminders.notify_once

    def flaky(**kw):
        if kw["key"].startswith(f"supervision:{bad.pk}:"):
            raise RuntimeError("mail server on fire")
        return real(**kw)

    monkeypatch.setattr(reminders, "notify_once", flaky)
    err = StringIO()
    with pytest.raises(CommandError, match="有 1 项提醒未能发送"):
        call_command("remind", "--today", f"{TODAY:%Y-%m-%d}", stdout=StringIO(), stderr=err)
    assert keys(users["village"]) == {f"supervision:{good.pk}:due:{good.deadline:%Y-%m-%d}"}
    assert bad.number in err.getvalue()


def test_bad_today_is_a_clear_error():
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("remind", "--today", "2026/01/01", stdout=StringIO())
