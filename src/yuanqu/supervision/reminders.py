"""Automatic reminders (run daily by cron as `yuanqu remind`, registered in core.reminders): due
soon, overdue, monthly reports.

Every notice has a key naming the item and its deadline (or the target and the month), so a rerun
notifies nobody twice, and an approved extension (new deadline) gives a fresh reminder.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, Exists, OuterRef, Q, Value, When
from django.urls import NoReverseMatch, reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.periods import default_period, month_end
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.core.text import shorten
from yuanqu.plans.models import Plan, ProgressReport, Target

from . import selectors
from .models import WORKING_STATES, SupervisionItem

CATEGORIES = {"due": "督办即将到期", "overdue": "督办已逾期", "report": "月度进度未填报"}


def _item_url(item: SupervisionItem) -> str:
    return reverse("supervision:detail", kwargs={"pk": item.pk})


def _target_url(target: Target) -> str:
    # The target page belongs to the plans app; a notice without a link is still a notice.
    try:
        return reverse("plans:target_detail", kwargs={"pk": target.pk})
    except NoReverseMatch:
        return ""


def unreported_targets(today: dt.date) -> list[Target]:
    """Targets of active plans with no report for the month their unit's page asks for.

    The month is `default_period` per plan (the month just ended; January itself in January; a
    past year's plan, its December), so the reminder and the "my unit" page name the same month.
    Each target comes with `due_period`. One query for the plans, one for the targets.
    """
    periods = {}
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE).only("pk", "year"):
        period = default_period(plan.year, today)
        if period is not None:
            periods[plan.pk] = period
    if not periods:
        return []
    # Per plan: not finished before the month began and not starting after it ended.
    in_month = Q()
    for plan_id, period in periods.items():
        in_month |= Q(plan_id=plan_id) & ~Q(deadline__lt=period) & ~Q(start_date__gt=month_end(period))
    due_period = Case(
        *(When(plan_id=plan_id, then=Value(period)) for plan_id, period in periods.items()),
        output_field=DateField(),
    )
    filed = ProgressReport.objects.filter(target=OuterRef("pk"), period=OuterRef("due_period"))
    return list(
        Target.objects.alive()
        .filter(in_month, lead_unit__isnull=False)
        .annotate(due_period=due_period)
        .exclude(Exists(filed))
        .order_by("pk")
    )


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tallies = {name: Tally() for name in CATEGORIES}
    alive = SupervisionItem.objects.alive().select_related("lead_unit")
    due = list(alive.filter(state__in=WORKING_STATES).due_within(today, days_ahead).order_by("deadline", "pk"))
    overdue = list(alive.overdue(today).order_by("deadline", "pk"))

    unreported = unreported_targets(today)

    unit_ids = {i.lead_unit_id for i in due + overdue} | {t.lead_unit_id for t in unreported}
    reporters = selectors.unit_reporters(unit_ids)
    office = selectors.supervisors()

    def send_due(item: SupervisionItem) -> None:
        days = (item.deadline - today).days
        when = "今天到期" if days == 0 else f"还有{days}天到期"
        for user in reporters.get(item.lead_unit_id, []):
            tallies["due"].count(notify_once(
                recipient=user, key=f"supervision:{item.pk}:due:{item.deadline:%Y-%m-%d}", kind="reminder",
                title=f"督办事项{when}：{item.number} {item.title}",
                body=f"办理期限：{item.deadline:%Y年%m月%d日}。请按时办结并反馈。", url=_item_url(item),
            ))

    def send_overdue(item: SupervisionItem) -> None:
        days = (today - item.deadline).days
        # The lead unit hears only while the work is in its hands; 督查室 hears about every open item.
        people = list(reporters.get(item.lead_unit_id, [])) if item.state in WORKING_STATES else []
        people += [u for u in office if u not in people]
        for user in people:
            tallies["overdue"].count(notify_once(
                recipient=user, key=f"supervision:{item.pk}:overdue:{item.deadline:%Y-%m-%d}", kind="reminder",
                title=f"督办事项已逾期{days}天：{item.number} {item.title}",
                body=f"牵头单位：{item.lead_unit}；办理期限：{item.deadline:%Y年%m月%d日}；当前状态：{item.get_state_display()}。",
                url=_item_url(item),
            ))

    def send_report(target: Target) -> None:
        period = target.due_period
        for user in reporters.get(target.lead_unit_id, []):
            tallies["report"].count(notify_once(
                recipient=user, key=f"report:{target.pk}:{period:%Y-%m}", kind="report",
                title=f"请填报{period:%Y年%m月}进度：{shorten(target.title, 60)}",
                body=f"目标“{target.title}”尚未填报{period:%Y年%m月}的进度。", url=_target_url(target),
            ))

    each(due, tallies["due"], lambda i: i.number, send_due)
    each(overdue, tallies["overdue"], lambda i: i.number, send_overdue)
    each(unreported, tallies["report"], lambda t: f"目标{t.pk}", send_report)
    return tallies


register(ReminderSource("supervision", CATEGORIES, send_reminders))
