"""One change-history mechanism and idempotent notifications."""

from decimal import Decimal

import pytest

from yuanqu.core.history import history_for, record_change, snapshot
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.core.notifications import mark_read, notify_once, unread_count


def test_snapshot_is_json_safe_and_skips_bookkeeping_fields(plan):
    t = plan.targets.first()
    data = snapshot(t)
    assert data["target_value"] == "100" and data["lead_unit"] == t.lead_unit_id
    assert "version" not in data and "updated_at" not in data
    assert data["cooperating_units"] == []


def test_record_change_lists_changed_fields_only(plan, users):
    t = plan.targets.first()
    before = snapshot(t)
    t.target_value = Decimal("120.5")
    t.title = "新标题"
    record_change(actor=users["supervisor"], obj=t, action=ChangeRecord.Action.UPDATE, before=before,
                  after=snapshot(t))
    record = history_for(t).get()
    assert dict((f, (a, b)) for f, a, b in record.changes()) == {
        "title": (before["title"], "新标题"),
        "target_value": ("100", "120.5"),
    }
    assert record.actor == users["supervisor"]


def test_an_update_that_changes_nothing_is_not_recorded(plan, users):
    t = plan.targets.first()
    assert record_change(actor=users["supervisor"], obj=t, action=ChangeRecord.Action.UPDATE,
                         before=snapshot(t), after=snapshot(t)) is None
    assert not ChangeRecord.objects.exists()


def test_notify_once_is_idempotent_per_person_and_key(users):
    kwargs = {"key": "report:1:2026-10", "kind": "report_due", "title": "请填报10月进度"}
    assert notify_once(recipient=users["agri"], **kwargs) is not None
    assert notify_once(recipient=users["agri"], **kwargs) is None
    assert notify_once(recipient=users["invest"], **kwargs) is not None
    assert Notification.objects.count() == 2
    assert unread_count(users["agri"]) == 1
    assert mark_read(user=users["agri"]) == 1
    assert unread_count(users["agri"]) == 0


@pytest.mark.parametrize("configured,sent", [(False, False), (True, True)])
def test_email_only_when_configured(users, settings, mailoutbox, configured, sent, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "mail.zone.local" if configured else ""
    users["agri"].email = "agri@zone.local"
    users["agri"].save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_once(recipient=users["agri"], key="k", kind="x", title="提醒")
    assert (len(mailoutbox) == 1) is sent
