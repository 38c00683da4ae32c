"""企业清理 reminders for `yuanqu remind` (core.reminders): an open disposal step past its planned
date tells the people of the case's responsible unit (`cleanup.handle`, the nearest unit above when
it has none). Once per step and planned date: a rerun is silent, a re-planned date that passes again
reminds again."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders

from .models import CaseStep, State

CATEGORIES = {"late_step": "企业清理处置步骤逾期"}


def late_steps(today: dt.date) -> list[CaseStep]:
    """Open steps of open cases planned before today. One query."""
    return list(CaseStep.objects.filter(done_on__isnull=True, planned_on__lt=today,
                                        case__state__in=[State.CONFIRMED, State.DISPOSING], case__unit__isnull=False)
                .select_related("case__enterprise").order_by("planned_on", "pk"))


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tally = Tally()
    steps = late_steps(today)
    handlers = unit_holders("cleanup.handle", {s.case.unit_id for s in steps})

    def send(step: CaseStep) -> None:
        case = step.case
        for user in handlers.get(case.unit_id, []):
            tally.count(notify_once(
                recipient=user, key=f"cleanup:step:{step.pk}:{step.planned_on:%Y-%m-%d}", kind="reminder",
                title=f"企业清理步骤已逾期{(today - step.planned_on).days}天：{case.enterprise.name}·{step.title}"[:200],
                body=f"{case.get_category_display()}处置（{case.get_method_display() or '处置方式未定'}）的步骤“{step.title}”"
                     f"计划于{step.planned_on:%Y年%m月%d日}完成。请办理后登记完成日期。",
                url=reverse("cleanup:case", args=[case.pk]),
            ))

    each(steps, tally, lambda s: f"步骤{s.pk}", send)
    return {"late_step": tally}


register(ReminderSource("cleanup", CATEGORIES, send_reminders))
