"""Who may do what, as a role matrix over the conftest users.

The item is led by 三南村 (village) and assisted by 招商局 (invest): 农业农村局 (agri) is above the
village, so its reporter acts as the lead unit too; 招商局 only reads.
"""

import datetime as dt

import pytest

from yuanqu.core.errors import PermissionDeniedError
from yuanqu.supervision import services
from yuanqu.supervision.models import ExtensionRequest, State, SupervisionEvent, SupervisionItem

from .conftest import TODAY

# Among the rows, people holding several roles (tests/conftest.py): the reporter for 招商局 and
# 三南村 acts as the lead unit; the leader who also reports for 招商局 only reads.
ROLES = ["admin", "supervisor", "leader", "invest", "agri", "village", "nounit", "invest_village", "leader_invest"]
OFFICE = {"admin", "supervisor"}
LEAD = {"agri", "village", "invest_village"}

# action → (state the item must be in, who may)
MATRIX = {
    "assign": (State.REGISTERED, OFFICE),
    "start": (State.ASSIGNED, LEAD),
    "feedback": (State.IN_PROGRESS, LEAD),
    "urge": (State.IN_PROGRESS, OFFICE),
    "return": (State.FEEDBACK, OFFICE),
    "close": (State.FEEDBACK, OFFICE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_transition_rights(make_item, users, action, role):
    state, allowed = MATRIX[action]
    item = make_item(state, assisting=["invest"])
    events = item.events.count()
    call = lambda: services.transition(actor=users[role], item=item, action=action, comment="说明")  # noqa: E731
    if role in allowed:
        call()
        assert item.events.count() == events + 1
    else:
        with pytest.raises(PermissionDeniedError, match="只有"):
            call()
        assert SupervisionItem.objects.get(pk=item.pk).state == state
        assert item.events.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_allowed_actions_match_the_matrix(make_item, users, role):
    items = {state: make_item(state, assisting=["invest"]) for state in {s for s, _ in MATRIX.values()}}
    for action, (state, allowed) in MATRIX.items():
        shown = action in services.allowed_actions(users[role], items[state])
        assert shown == (role in allowed), (action, role)


@pytest.mark.parametrize("role", ROLES)
def test_create_rights(users, units, role):
    data = {"title": "事项", "source_kind": "meeting_decision", "source_text": "纪要", "lead_unit": units["agri"],
            "deadline": TODAY + dt.timedelta(days=5)}
    if role in OFFICE:
        assert services.item_create(actor=users[role], data=data).pk
    else:
        with pytest.raises(PermissionDeniedError, match="只有督查室"):
            services.item_create(actor=users[role], data=data)
        assert not SupervisionItem.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_extension_rights(make_item, users, role):
    item = make_item(State.IN_PROGRESS, assisting=["invest"])
    ask = {"item": item, "requested_deadline": item.deadline + dt.timedelta(days=5), "reason": "原因",
           "progress": "进展"}
    if role in LEAD:
        request = services.extension_request(actor=users[role], **ask)
    else:
        with pytest.raises(PermissionDeniedError):
            services.extension_request(actor=users[role], **ask)
        assert not ExtensionRequest.objects.exists()
        request = services.extension_request(actor=users["village"], **ask)
    if role in OFFICE:
        services.extension_approve(actor=users[role], request=request)
        assert SupervisionItem.objects.get(pk=item.pk).deadline == ask["requested_deadline"]
    else:
        with pytest.raises(PermissionDeniedError):
            services.extension_approve(actor=users[role], request=request)
        with pytest.raises(PermissionDeniedError):
            services.extension_refuse(actor=users[role], request=request, comment="不同意")
        assert ExtensionRequest.objects.get(pk=request.pk).status == "pending"


# ---------------------------------------------------------------- who sees what

VISIBLE = {
    "admin": {"led_by_village", "led_by_invest"},
    "supervisor": {"led_by_village", "led_by_invest"},
    "leader": {"led_by_village", "led_by_invest"},
    "invest": {"led_by_invest"},
    "agri": {"led_by_village", "led_by_invest"},  # the village is under it; it assists the other
    "village": {"led_by_village"},
    "nounit": set(),
    "invest_village": {"led_by_village", "led_by_invest"},
    "leader_invest": {"led_by_village", "led_by_invest"},
}


@pytest.mark.parametrize("role", ROLES)
def test_visible_to(make_item, users, role):
    make_item(title="led_by_village", lead="village")
    make_item(title="led_by_invest", lead="invest", assisting=["agri"])
    seen = set(SupervisionItem.objects.visible_to(users[role]).values_list("title", flat=True))
    assert seen == VISIBLE[role]


def test_visible_to_has_no_duplicates_and_hides_deleted(make_item, users):
    item = make_item(lead="village", assisting=["area", "invest"])  # agri's subtree holds village and area
    assert list(SupervisionItem.objects.visible_to(users["agri"])) == [item]
    services.item_delete(actor=users["supervisor"], item=item)
    assert not SupervisionItem.objects.visible_to(users["supervisor"]).exists()


def test_anonymous_sees_nothing(make_item):
    from django.contrib.auth.models import AnonymousUser

    make_item()
    assert not SupervisionItem.objects.visible_to(AnonymousUser()).exists()
    assert SupervisionEvent.objects.exists()
