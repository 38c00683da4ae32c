"""The daily escalation run (`yuanqu remind`, cron; registered in core.reminders): every event past
its 签收 or 反馈 limit and still open goes one level up its unit's tree, once a day, up to the top;
the people of the unit it reaches are notified (keyed by event and level: a rerun tells nobody twice)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yuanqu.core.reminders import ReminderSource, Tally, each, register

from . import services


def send(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    # The run's moment is `today` at the time of day it runs (the platform's one clock decides the day).
    now = timezone.make_aware(dt.datetime.combine(today, timezone.localtime().time()))
    tally = Tally()

    def escalate(event):
        for notice in services.event_escalate(event, now=now):
            tally.count(notice)

    each(services.overdue_to_escalate(now), tally, lambda e: f"网格事件{e.number}", escalate)
    return {"escalated": tally}


register(ReminderSource("grid", {"escalated": "网格事件逾期升级"}, send))
