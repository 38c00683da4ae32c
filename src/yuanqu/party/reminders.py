"""党建 reminders for `yuanqu remind` (core.reminders): an active organisation whose term ends within
the thresholds' `term_due_days` (YUANQU_PARTY_THRESHOLDS, default 90) or has ended tells the 党建办
(`party.manage`) and the people of its host unit (`party.self_assess` held for the unit). Once per
organisation, term end and category: a rerun is silent, a new term (a new end date) reminds again."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from yuanqu.core.notifications import notify_once
from yuanqu.core.reminders import ReminderSource, Tally, each, register
from yuanqu.org.selectors import unit_holders, users_holding

from . import rules
from .models import PartyOrganisation

CATEGORIES = {"term_due": "党组织任期即将届满", "term_over": "党组织任期已届满"}


def terms_to_remind(today: dt.date) -> list[tuple[PartyOrganisation, str, dt.date]]:
    """(organisation, category, term end) of the active organisations whose term is due or over.
    One query; the term end is computed (a blank end follows from the start), so it is read in Python."""
    t = rules.thresholds()
    found = []
    for org in (PartyOrganisation.objects.filter(is_active=True).select_related("unit", "enterprise",
                                                                                  "social_organisation")
                .order_by("pk")):
        end = org.term_end_on(t)
        if end is None:
            continue
        if end < today:
            found.append((org, "term_over", end))
        elif (end - today).days <= t.term_due_days:
            found.append((org, "term_due", end))
    return found


def send_reminders(*, today: dt.date, days_ahead: int = 3) -> dict[str, Tally]:
    tallies = {name: Tally() for name in CATEGORIES}
    rows = terms_to_remind(today)
    hosts = unit_holders("party.self_assess", {org.unit_id for org, _c, _e in rows})
    office = list(users_holding("party.manage"))

    def send(row) -> None:
        org, category, end = row
        if category == "term_over":
            title = f"党组织任期已届满{(today - end).days}天：{org.name}"
            body = f"{org.name}（{org.host_name}）本届任期已于{end:%Y年%m月%d日}届满，应及时换届。"
        else:
            title = f"党组织任期将于{(end - today).days}天后届满：{org.name}"
            body = f"{org.name}（{org.host_name}）本届任期将于{end:%Y年%m月%d日}届满，请做好换届准备。"
        recipients = {u.pk: u for u in [*office, *hosts.get(org.unit_id, [])]}
        for user in recipients.values():
            tallies[category].count(notify_once(
                recipient=user, key=f"party:term:{org.pk}:{category}:{end:%Y-%m-%d}", kind="reminder",
                title=title[:200], body=body + "换届后请更新任期。", url=reverse("party:detail", args=[org.pk])))

    for category, tally in tallies.items():
        each([r for r in rows if r[1] == category], tally, lambda r: r[0].name, send)
    return tallies


register(ReminderSource("party", CATEGORIES, send_reminders))
