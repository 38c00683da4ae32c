"""Overdue next actions join `yuanqu remind` (core.reminders): the owner hears, or the unit's
reporters when there is none; once per lead and date; closed leads are quiet."""

import datetime as dt
import re
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.models import Notification
from yuanqu.core.reminders import SOURCES
from yuanqu.investment import reminders, services
from yuanqu.investment.models import Stage

TODAY = dt.date(2026, 6, 10)
NOTICE_QUERIES = 6
PAST = TODAY - dt.timedelta(days=3)


def keys(user):
    return set(Notification.objects.filter(recipient=user, key__startswith="investment:").values_list("key", flat=True))


def test_an_overdue_next_action_reaches_the_owner_or_else_the_units_reporters(users, make_lead):
    owned = make_lead("有责任人的项目", owner=users["agri"], next_action="赴总部拜访", next_action_on=PAST)
    unowned = make_lead("无责任人的项目", next_action_on=PAST)
    make_lead("今天到期的项目", next_action_on=TODAY)
    make_lead("已签约的项目", stage=Stage.SIGNED, next_action_on=PAST)
    make_lead("已终止的项目", stage=Stage.TERMINATED, next_action_on=PAST)
    make_lead("村里的项目", unit="village", next_action_on=PAST)
    tally = reminders.send_reminders(today=TODAY)["next_action"]
    assert keys(users["agri"]) == {f"investment:{owned.pk}:next:{PAST:%Y-%m-%d}"}
    assert keys(users["invest"]) == {f"investment:{unowned.pk}:next:{PAST:%Y-%m-%d}"}
    assert len(keys(users["village"])) == 1
    assert (tally.created, tally.skipped, tally.failed) == (3, 0, 0)
    notice = Notification.objects.get(recipient=users["agri"])
    assert notice.title == "招商线索下一步工作已逾期3天：有责任人的项目"
    assert "赴总部拜访" in notice.body and notice.url == f"/investment/{owned.pk}/"
    assert keys(users["admin"]) == set()  # administrators hold the ability zone-wide, not for the unit


def test_once_per_lead_and_date_and_again_for_a_new_date(users, make_lead):
    lead = make_lead("项目", owner=users["invest"], next_action_on=PAST)
    reminders.send_reminders(today=TODAY)
    assert reminders.send_reminders(today=TODAY)["next_action"].skipped == 1
    services.lead_update(actor=None, lead=lead, data={"next_action_on": TODAY + dt.timedelta(days=2)})
    assert reminders.send_reminders(today=TODAY)["next_action"].created == 0
    later = TODAY + dt.timedelta(days=5)
    assert reminders.send_reminders(today=later)["next_action"].created == 1
    assert len(keys(users["invest"])) == 2


def test_the_remind_command_runs_every_registered_source(users, make_lead):
    assert {"supervision", "investment"} <= set(SOURCES)
    make_lead("项目", owner=users["invest"], next_action_on=PAST)
    out = StringIO()
    call_command("remind", "--today", f"{TODAY:%Y-%m-%d}", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "招商线索下一步工作逾期：新建 1 条" in text and "督办已逾期：新建 0 条" in text
    assert re.search(r"合计（2026-06-10）：新建 1 条", text)


def test_queries_per_lead_are_only_its_notice(users, make_lead):
    def run() -> int:
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            reminders.send_reminders(today=TODAY)
        return len(queries)

    make_lead("项目0", next_action_on=PAST)
    one = run()
    for i in range(1, 11):
        make_lead(f"项目{i}", next_action_on=PAST)
    eleven = run()
    # Each further lead costs its one notice (two savepoints, existence check, insert) and
    # nothing else: the leads, owners and reporters are read once.
    assert (eleven - one) / 10 == NOTICE_QUERIES
    assert one - NOTICE_QUERIES <= 4
