"""重大项目 reminders for `yuanqu remind` (core.reminders), to the lead unit's people who keep the
project (projects.edit held for the unit, or the nearest unit above that has some):

- a gate whose planned date has passed unreached (the earliest such gate of a project; once per
  gate and planned date, so a new planned date that passes again reminds again);
- a monthly return not in by its due day (once per project and month).

Both are the lists' red flags (selectors.late_step_ids, late_return_ids), sent."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders

from .models import Project, StageStep
from .selectors import REPORTING_STAGES, RETURN_DUE_DAY, return_due_month

CATEGORIES = {"late_gate": "重大项目阶段逾期", "late_return": "重大项目月报未报"}


def late_gates(today: dt.date) -> list[StageStep]:
    """Per project, its earliest gate planned before today and neither reached nor skipped (one query)."""
    steps = (StageStep.objects.filter(planned_on__lt=today, actual_on__isnull=True, skipped=False)
             .select_related("project").order_by("project_id", "planned_on", "pk"))
    first: dict[int, StageStep] = {}
    for step in steps:
        first.setdefault(step.project_id, step)
    return list(first.values())


def missing_returns(today: dt.date) -> tuple[dt.date | None, list[Project]]:
    """The month due by today and the reporting projects with no return for it (one query)."""
    month = return_due_month(today)
    if month is None:
        return None, []
    return month, list(Project.objects.filter(stage__in=REPORTING_STAGES).exclude(returns__month=month)
                       .order_by("pk"))


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    gates, returns = Tally(), Tally()
    steps = late_gates(today)
    month, projects = missing_returns(today)
    people = unit_holders("projects.edit", {s.project.lead_unit_id for s in steps}
                          | {p.lead_unit_id for p in projects})

    def gate(step: StageStep) -> None:
        project, days = step.project, (today - step.planned_on).days
        for user in people.get(project.lead_unit_id, []):
            gates.count(notify_once(
                recipient=user, key=f"projects:{project.pk}:gate:{step.stage}:{step.planned_on:%Y-%m-%d}",
                kind="reminder", title=f"重大项目{step.get_stage_display()}已逾期{days}天：{project.name}",
                body=f"计划{step.get_stage_display()}日期：{step.planned_on:%Y年%m月%d日}，尚未到达。"
                     "请登记实际日期、修改计划日期，或登记项目问题提请协调。",
                url=reverse("projects:detail", kwargs={"pk": project.pk}),
            ))

    def report(project: Project) -> None:
        for user in people.get(project.lead_unit_id, []):
            returns.count(notify_once(
                recipient=user, key=f"projects:{project.pk}:return:{month:%Y-%m}", kind="reminder",
                title=f"重大项目{month.year}年{month.month}月月报未报：{project.name}",
                body=f"{month.year}年{month.month}月的月报（当月和累计完成投资、形象进度）应于本月{RETURN_DUE_DAY}日前填报。",
                url=reverse("projects:detail", kwargs={"pk": project.pk}),
            ))

    each(steps, gates, lambda s: s.project.name, gate)
    each(projects, returns, lambda p: p.name, report)
    return {"late_gate": gates, "late_return": returns}


register(ReminderSource("projects", CATEGORIES, send_reminders))
