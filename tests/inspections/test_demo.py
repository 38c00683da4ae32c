"""The inspections demo: a year of inspections and hazards in every state (some 重大, some overdue,
some raised to 督办, some revisited and reopened) and the seed's two rivers as works, all marked
demo; clearing removes it."""

import time

from yuanqu.core import clock
from yuanqu.inspections import demo
from yuanqu.inspections.models import Hazard, HazardEvent, Inspection, Revisit, State, Work, WorkStage
from yuanqu.org.models import OrgUnit, User
from yuanqu.supervision.models import SupervisionItem

from ..factories import make_demo_bureaus


def test_the_demo_has_hazards_in_every_state_and_the_two_rivers(users, units, settings):
    settings.YUANQU_DEMO_INSPECTIONS = demo.INSPECTIONS  # the full year, as `yuanqu demo` builds it
    make_demo_bureaus(units, (demo.BUREAU, "建设局"), enterprises=40)
    started = time.monotonic()
    demo.build_demo(today=clock.today())
    seconds = time.monotonic() - started
    today = clock.today()
    hazards = Hazard.objects.all()
    assert Inspection.objects.count() == demo.INSPECTIONS and hazards.count() >= 250, hazards.count()
    assert not Inspection.objects.filter(is_demo=False).exists() and not hazards.filter(is_demo=False).exists()
    assert set(hazards.values_list("state", flat=True)) == set(State.values)
    assert hazards.filter(level="major").count() >= 10
    assert hazards.filter(Hazard.open_overdue_q(today)).count() >= 5
    late = [h for h in hazards.filter(rectified_on__isnull=False) if h.rectified_on > h.deadline]
    assert len(late) >= 5
    assert HazardEvent.objects.filter(action="fail").exists() and HazardEvent.objects.filter(action="reopen").exists()
    assert SupervisionItem.objects.filter(source_kind="hazard", is_demo=True).exists()
    assert Revisit.objects.filter(done_on__isnull=False).count() >= 20
    assert HazardEvent.objects.dates("time", "day").count() > 100  # steps on their own days
    names = set(Work.objects.values_list("name", flat=True))
    assert {"十二号横河黑臭水体整治", "通沙河黑臭水体整治"} <= names
    assert any(s.is_late(today) for s in WorkStage.objects.all())
    inspector = User.objects.get(role_assignments__role="inspector")
    assert inspector.can("inspections.inspect", unit=OrgUnit.objects.get(name=demo.BUREAU))
    print(f"inspections demo: {Inspection.objects.count()} inspections, {hazards.count()} hazards in {seconds:.1f} s")
    demo.clear_demo()
    assert not Inspection.objects.exists() and not Hazard.objects.exists() and not Work.objects.exists()
