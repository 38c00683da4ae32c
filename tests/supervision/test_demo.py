"""The demo builder: every state and every complication, through the services, rebuildable."""

import pytest

from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.models import Plan
from yuanqu.supervision import demo
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

from .conftest import TODAY


@pytest.fixture
def demo_zone(plan, users, units):
    OrgUnit.objects.update(is_demo=True)
    User.objects.update(is_demo=True)
    Plan.objects.filter(pk=plan.pk).update(is_demo=True)
    return plan


def test_demo_has_every_state_and_complication(demo_zone):
    ids = demo.build_demo(today=TODAY)
    items = {key: SupervisionItem.objects.get(pk=pk) for key, pk in ids.items()}
    assert {i.state for i in items.values()} == set(State.values)
    assert all(i.is_demo for i in items.values())
    assert items["returned"].return_count == 1 and items["returned"].state == State.IN_PROGRESS
    assert items["urged_twice"].urge_count == 2
    assert items["overdue"].is_overdue(TODAY)
    assert items["extension_pending"].extension_requests.get().status == ExtensionRequest.Status.PENDING
    approved = items["extension_approved"]
    assert approved.extension_requests.get().status == ExtensionRequest.Status.APPROVED
    assert approved.events.filter(action=SupervisionEvent.Action.EXTENSION_APPROVE).exists()
    kinds = [i.source_kind for i in items.values()]
    assert kinds.count("leader_instruction") == 1 and kinds.count("meeting_decision") == 1
    assert all(i.target_id for i in items.values() if i.source_kind == "target")
    # Backdated timelines: the closed item was registered weeks ago.
    first = items["closed"].events.order_by("time").first()
    assert (TODAY - first.time.date()).days >= 39


def test_demo_rebuilds_without_piling_up(demo_zone):
    demo.build_demo(today=TODAY)
    count = SupervisionItem.objects.count()
    demo.build_demo(today=TODAY)
    assert SupervisionItem.objects.count() == count == len(demo.STORIES)
    assert demo.clear_demo() == count and not SupervisionItem.objects.exists()


def test_demo_needs_the_demo_zone(plan, users):
    with pytest.raises(demo.DemoError, match="督查室账号"):
        demo.build_demo(today=TODAY)
