"""The visits demo: a few hundred visits and requests over the demo enterprises, in every state,
some overdue, marked demo; rebuilding replaces it."""

import time

from yuanqu.core import clock
from yuanqu.org.models import User
from yuanqu.supervision.models import SupervisionItem
from yuanqu.visits import demo
from yuanqu.visits.models import EnterpriseRequest, RequestEvent, State, Visit

from ..factories import make_demo_bureaus


def _build(units):
    make_demo_bureaus(units, ("招商局", "经济发展局", "社会事业局", "建设局", "行政审批局"), enterprises=60)
    started = time.monotonic()
    demo.build_demo(today=clock.today())
    return time.monotonic() - started


def test_the_demo_has_visits_and_requests_in_every_state_some_overdue(users, units):
    seconds = _build(units)
    visits, requests = Visit.objects.all(), EnterpriseRequest.objects.all()
    assert requests.filter(visit__isnull=True).count() == demo.DIRECT
    assert visits.count() == demo.VISITS and requests.count() >= 250, (visits.count(), requests.count())
    assert not visits.filter(is_demo=False).exists() and not requests.filter(is_demo=False).exists()
    assert set(requests.values_list("state", flat=True)) == set(State.values)
    today = clock.today()
    assert requests.filter(EnterpriseRequest.overdue_q(today), replied_on__isnull=True).count() >= 5
    late = [r for r in requests.filter(replied_on__isnull=False) if r.replied_on > r.due_on]
    assert len(late) >= 10
    assert RequestEvent.objects.filter(action="return").exists() and RequestEvent.objects.filter(action="reassign").exists()
    assert requests.filter(supervision_item__isnull=False).exists()
    assert SupervisionItem.objects.filter(source_kind="enterprise_request", is_demo=True).exists()
    # Steps are dated on their own days, not all today.
    assert RequestEvent.objects.dates("time", "day").count() > 100
    cadre = User.objects.get(role_assignments__role="visitor")
    assert cadre.can("visits.record") and visits.filter(recorded_by=cadre).count() == demo.VISITS
    print(f"visits demo: {visits.count()} visits, {requests.count()} requests in {seconds:.1f} s")
    # Rebuilding replaces it.
    demo.clear_demo()
    assert not Visit.objects.exists() and not EnterpriseRequest.objects.exists()
