"""Builders for 督办单 in any state, driven through the services (so events are real)."""

import datetime as dt

import pytest

from tests.conftest import TEST_TODAY
from yuanqu.core.models import ChangeRecord, Notification
from yuanqu.supervision import services
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

TODAY = TEST_TODAY

# The path an item takes to reach each state (the actor is who may do each step).
PATH = {
    State.REGISTERED: [],
    State.ASSIGNED: ["assign"],
    State.IN_PROGRESS: ["assign", "start"],
    State.FEEDBACK: ["assign", "start", "feedback"],
    State.CLOSED: ["assign", "start", "feedback", "close"],
}


@pytest.fixture
def make_item(users, units):
    """make_item(state=..., lead="village", deadline=date, assisting=[...], **data) → SupervisionItem."""

    def make(state=State.REGISTERED, *, lead="village", deadline=None, assisting=(), today=None, **data):
        today = today or TODAY
        payload = {
            "title": data.pop("title", "督办测试事项"),
            "source_kind": data.pop("source_kind", SupervisionItem.SourceKind.LEADER_INSTRUCTION),
            "source_text": data.pop("source_text", "请抓紧落实。"),
            "lead_unit": units[lead],
            "assisting_units": [units[u] for u in assisting],
            "deadline": deadline or today + dt.timedelta(days=10),
            **data,
        }
        item = services.item_create(actor=users["supervisor"], data=payload, today=today)
        lead_user = users["village"] if lead == "village" else users.get(lead) or users["agri"]
        for action in PATH[state]:
            who = services.TRANSITIONS[action].may
            actor = users["supervisor"] if who is services.may_supervise else lead_user
            comment = "已按要求办理完毕。" if action == "feedback" else ""
            services.transition(actor=actor, item=item, action=action, comment=comment, today=today)
        item.refresh_from_db()
        assert item.state == state
        return item

    return make


def db_state(item):
    """Everything a refused write must leave alone."""
    fresh = SupervisionItem.objects.get(pk=item.pk)
    return (
        fresh.state, fresh.version, fresh.urge_count, fresh.return_count, fresh.deadline, fresh.result,
        fresh.closed_on, SupervisionEvent.objects.filter(item=item).count(),
        ExtensionRequest.objects.filter(item=item).count(), Notification.objects.count(),
        ChangeRecord.objects.count(),
    )
