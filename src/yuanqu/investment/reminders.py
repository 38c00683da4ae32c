"""招商 reminders for `yuanqu remind` (core.reminders): an open lead whose next action's date has
passed tells its 责任人, or the owning unit's reporters when it has none. Once per lead and date:
the key names both, so a rerun is silent and a new next-action date that passes again reminds
again."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders

from .models import OPEN_STAGES, Lead

CATEGORIES = {"next_action": "招商线索下一步工作逾期"}


def overdue_leads(today: dt.date) -> list[Lead]:
    """Open leads (信息 … 洽谈) whose next action was due before today. One query."""
    return list(Lead.objects.filter(stage__in=OPEN_STAGES, next_action_on__lt=today)
                .select_related("owner", "unit").order_by("next_action_on", "pk"))


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tally = Tally()
    leads = overdue_leads(today)
    unowned = {lead.unit_id for lead in leads if lead.owner is None or not lead.owner.is_active}
    reporters = unit_holders("investment.edit_leads", unowned)

    def send(lead: Lead) -> None:
        days = (today - lead.next_action_on).days
        owner = lead.owner if lead.owner is not None and lead.owner.is_active else None
        for user in [owner] if owner else reporters.get(lead.unit_id, []):
            tally.count(notify_once(
                recipient=user, key=f"investment:{lead.pk}:next:{lead.next_action_on:%Y-%m-%d}", kind="reminder",
                title=f"招商线索下一步工作已逾期{days}天：{lead.name}",
                body=f"下一步工作：{lead.next_action or '（未写明）'}；计划日期：{lead.next_action_on:%Y年%m月%d日}；"
                     f"当前阶段：{lead.get_stage_display()}。请跟进并登记跟进记录，或修改下一步日期。",
                url=reverse("investment:lead_detail", kwargs={"pk": lead.pk}),
            ))

    each(leads, tally, lambda lead: lead.name, send)
    return {"next_action": tally}


register(ReminderSource("investment", CATEGORIES, send_reminders))
