"""走帮服 reminders for `yuanqu remind` (core.reminders): a request not yet answered (答复) tells the
people who handle it for the assigned unit (`visits.handle`, the nearest unit above when it has
none) a few days before its due date, and again once past it. Once per request, kind and due date:
the key names them, so a rerun is silent and a due date moved by a calendar edit reminds afresh."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders

from .models import UNANSWERED, EnterpriseRequest

CATEGORIES = {"due": "企业诉求即将到期", "overdue": "企业诉求逾期未答复"}


def unanswered(today: dt.date, days_ahead: int) -> list[EnterpriseRequest]:
    """Unanswered requests due within `days_ahead` days or already past due. One query."""
    return list(EnterpriseRequest.objects.filter(state__in=UNANSWERED, due_on__lte=today + dt.timedelta(days=days_ahead))
                .select_related("enterprise", "category", "assigned_unit").order_by("due_on", "pk"))


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tallies = {"due": Tally(), "overdue": Tally()}
    rows = unanswered(today, days_ahead)
    handlers = unit_holders("visits.handle", {r.assigned_unit_id for r in rows})

    def send(request: EnterpriseRequest) -> None:
        late = request.due_on < today
        kind = "overdue" if late else "due"
        when = (f"已逾期{(today - request.due_on).days}天" if late
                else "今天到期" if request.due_on == today else f"还有{(request.due_on - today).days}天到期")
        for user in handlers.get(request.assigned_unit_id, []):
            tallies[kind].count(notify_once(
                recipient=user, key=f"visits:request:{request.pk}:{kind}:{request.due_on:%Y-%m-%d}", kind="reminder",
                title=f"企业诉求{when}：{request.enterprise.name}（{request.category.name}）"[:200],
                body=f"诉求内容：{request.text[:300]}；办理期限：{request.due_on:%Y年%m月%d日}；"
                     f"当前状态：{request.get_state_display()}。请及时办理并答复企业。",
                url=reverse("visits:request", args=[request.pk]),
            ))

    each(rows, tallies["overdue"], lambda r: f"诉求{r.pk}", send)
    return tallies


register(ReminderSource("visits", CATEGORIES, send_reminders))
