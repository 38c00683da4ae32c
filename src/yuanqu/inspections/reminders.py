"""Inspections reminders for `yuanqu remind` (core.reminders):

- 重大隐患: a 重大 hazard not closed — its responsible unit's people and the 督查室 hear of it once
  per hazard (so they may raise a 督办单);
- 整改逾期: a hazard past its rectification deadline and not reported rectified (open items past
  due) — the responsible unit and the 督查室, once per hazard and deadline (a new deadline after a
  failed re-check that passes again reminds again);
- 回头看到期: a 回头看 due by today and not done — the inspecting unit's inspectors, once per visit.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders, users_holding

from .models import OPEN, Hazard, Level, Revisit

CATEGORIES = {"major": "重大隐患未销号", "overdue": "隐患整改逾期", "revisit": "回头看到期"}


def escalations(today: dt.date) -> tuple[list[Hazard], list[Hazard]]:
    """重大 hazards open, and hazards open past their deadline (two queries)."""
    base = Hazard.objects.select_related("inspection__enterprise", "inspection__village", "responsible_unit")
    major = list(base.filter(level=Level.MAJOR, state__in=OPEN).order_by("pk"))
    overdue = list(base.filter(Hazard.open_overdue_q(today)).order_by("deadline", "pk"))
    return major, overdue


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tallies = {name: Tally() for name in CATEGORIES}
    major, overdue = escalations(today)
    revisits = list(Revisit.objects.filter(done_on__isnull=True, due_on__lte=today)
                    .select_related("hazard__inspection__enterprise", "hazard__inspection__village").order_by("pk"))
    rectifiers = unit_holders("inspections.rectify", {h.responsible_unit_id for h in major + overdue})
    inspectors = unit_holders("inspections.inspect", {r.hazard.inspection.inspecting_unit_id for r in revisits})
    office = list(users_holding("supervision.issue_item"))

    def url(hazard: Hazard) -> str:
        return reverse("inspections:hazard", args=[hazard.pk])

    def warn_major(hazard: Hazard) -> None:
        for user in [*rectifiers.get(hazard.responsible_unit_id, []), *office]:
            tallies["major"].count(notify_once(
                recipient=user, key=f"inspections:{hazard.pk}:major", kind="reminder",
                title=f"重大隐患未销号：{hazard.inspection.place[:40]}",
                body=f"{hazard.description[:200]}\n责任单位：{hazard.responsible_unit.name}；状态：{hazard.get_state_display()}。"
                     "重大隐患须挂牌督办，可提请督办。", url=url(hazard)))

    def warn_overdue(hazard: Hazard) -> None:
        days = (today - hazard.deadline).days
        for user in [*rectifiers.get(hazard.responsible_unit_id, []), *office]:
            tallies["overdue"].count(notify_once(
                recipient=user, key=f"inspections:{hazard.pk}:overdue:{hazard.deadline:%Y-%m-%d}", kind="reminder",
                title=f"隐患整改已逾期{days}天：{hazard.inspection.place[:40]}",
                body=f"{hazard.description[:200]}\n整改期限：{hazard.deadline:%Y年%m月%d日}；"
                     f"责任单位：{hazard.responsible_unit.name}。", url=url(hazard)))

    def warn_revisit(revisit: Revisit) -> None:
        hazard = revisit.hazard
        for user in inspectors.get(hazard.inspection.inspecting_unit_id, []):
            tallies["revisit"].count(notify_once(
                recipient=user, key=f"inspections:revisit:{revisit.pk}", kind="reminder",
                title=f"回头看到期：{hazard.inspection.place[:40]}",
                body=f"第{revisit.round}次回头看计划于{revisit.due_on:%Y年%m月%d日}进行，防止问题反弹。", url=url(hazard)))

    each(major, tallies["major"], str, warn_major)
    each(overdue, tallies["overdue"], str, warn_overdue)
    each(revisits, tallies["revisit"], str, warn_revisit)
    return tallies


register(ReminderSource("inspections", CATEGORIES, send_reminders))
