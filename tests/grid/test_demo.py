"""The grid demo: grids under every demo village and community, a year of events in every state
(some refused, some failing verification, some open past their limit and raised to a 督办单), written
in bulk, marked demo; rebuilding replaces it."""

import time

from django.db.models import F

from yuanqu.core import clock
from yuanqu.core.models import ChangeRecord
from yuanqu.grid import demo, selectors, services
from yuanqu.grid.models import EventStep, Grid, GridEvent, RoutingRule, State
from yuanqu.org.models import User
from yuanqu.plans import demo as zone_demo
from yuanqu.supervision.models import SupervisionItem


def _build():
    units = zone_demo.build_units()
    zone_demo.build_users(units, {spec.username: "demo-pass-1234" for spec in zone_demo.USERS})
    started = time.monotonic()
    demo.build_demo(today=clock.today())
    return time.monotonic() - started


def test_the_demo_has_a_year_of_events_in_every_state_some_overdue(db, settings):
    settings.YUANQU_DEMO_GRID_EVENTS = demo.EVENTS  # the full year, as `yuanqu demo` builds it
    seconds = _build()
    events = GridEvent.objects.all()
    assert events.count() == demo.EVENTS and not events.filter(is_demo=False).exists()
    assert Grid.objects.filter(is_demo=True).count() == 10 * demo.GRIDS_PER_UNIT
    assert set(events.values_list("state", flat=True)) == set(State.values)
    now = services.now()
    assert events.filter(GridEvent.open_overdue_q(now)).count() >= 5
    assert events.filter(fed_back_at__gt=F("due_at")).count() >= 50
    assert EventStep.objects.filter(action="verify_fail").exists()
    assert SupervisionItem.objects.filter(source_kind="grid_event", is_demo=True).count() == 4
    assert EventStep.objects.dates("time", "day").count() > 200  # steps on their own days
    assert ChangeRecord.objects.filter(content_type__model="gridevent").count() >= demo.EVENTS
    # The centre and 三南村's grid worker can log in and have work.
    centre, worker = User.objects.get(username="shsy"), User.objects.get(username="snc")
    assert centre.can("grid.dispatch") and worker.can("grid.report")
    assert GridEvent.objects.visible_to(worker).exists()
    assert len(selectors.my_work(worker, now)["reported"]) > 0
    ranked = [f for f in selectors.unit_figures(User.objects.get(username="leader"), now) if f.rank]
    assert len(ranked) >= 3
    print(f"grid demo: {events.count()} events, {EventStep.objects.count()} steps in {seconds:.1f} s")
    # Rebuilding replaces it.
    demo.clear_demo()
    assert not GridEvent.objects.exists() and not Grid.objects.exists() and not RoutingRule.objects.exists()
