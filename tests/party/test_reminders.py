"""Term reminders through `yuanqu remind`: an organisation whose term has ended or ends within the
configured days tells the 党建办 and its host unit, once per term end; a rerun adds nothing."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from yuanqu.core.models import Notification
from yuanqu.party import reminders, services

TODAY = dt.date(2026, 9, 15)


def _remind(day: dt.date = TODAY) -> str:
    out = StringIO()
    call_command("remind", "--today", f"{day:%Y-%m-%d}", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_due_and_ended_terms_remind_the_office_and_the_host_unit_once(zone, orgs, units):
    office = zone["office"]
    due = services.organisation_create(actor=office, data={
        "name": "中共招商局第二支部委员会", "form": "branch", "unit": units["invest"], "full_members": 4,
        "term_start": "2023-10-01", "term_end": "2026-10-01"})  # 16 days ahead
    # the village's general branch: started 2021-04-01, a village's five years ended 2026-04-01;
    # the department's branch (2025-01-01, three years) is not due
    out = _remind()
    assert "党组织任期已届满" in out and "党组织任期即将届满" in out
    over = Notification.objects.filter(key__startswith=f"party:term:{orgs['village'].pk}:term_over:2026-04-01")
    assert {n.recipient for n in over} >= {office, zone["village"]} and zone["invest"] not in {n.recipient for n in over}
    soon = Notification.objects.filter(key__startswith=f"party:term:{due.pk}:term_due:")
    assert {n.recipient for n in soon} >= {office, zone["invest"]} and zone["village"] not in {n.recipient for n in soon}
    assert soon.get(recipient=office).url == f"/party/{due.pk}/" and "16天后届满" in soon.get(recipient=office).title
    assert not Notification.objects.filter(key__startswith=f"party:term:{orgs['dept'].pk}:").exists()
    total = Notification.objects.count()
    again = reminders.send_reminders(today=TODAY)  # a rerun the same day: nobody twice
    assert Notification.objects.count() == total
    assert again["term_over"].created == 0 and again["term_over"].skipped == over.count()
    # a new term (a new end date) reminds again when it falls due
    services.organisation_update(actor=office, organisation=due, data={"term_end": "2026-10-20"})
    assert reminders.send_reminders(today=TODAY)["term_due"].created == soon.count()


def test_the_days_ahead_are_a_setting_and_an_inactive_organisation_is_not_reminded(zone, orgs, units):
    office = zone["office"]
    org = services.organisation_create(actor=office, data={
        "name": "中共招商局第三支部委员会", "form": "branch", "unit": units["invest"], "full_members": 4,
        "term_start": "2024-01-01", "term_end": "2026-11-30"})  # 76 days ahead
    with override_settings(YUANQU_PARTY_THRESHOLDS={"term_due_days": 30}):
        assert org.pk not in {o.pk for o, _c, _e in reminders.terms_to_remind(TODAY)}
    assert (org.pk, "term_due") in {(o.pk, c) for o, c, _e in reminders.terms_to_remind(TODAY)}
    services.organisation_update(actor=office, organisation=orgs["village"], data={"is_active": False})
    assert orgs["village"].pk not in {o.pk for o, _c, _e in reminders.terms_to_remind(TODAY)}
