"""The disputes demo: a few hundred cases over a year, in every state, some overdue, marked demo;
rebuilding replaces it."""

import time

from yuanqu.core import clock
from yuanqu.disputes import demo
from yuanqu.disputes.models import CaseEvent, DisputeCase, State
from yuanqu.org.models import User
from yuanqu.supervision.models import SupervisionItem

from ..factories import make_demo_bureaus


def test_the_demo_has_cases_of_both_kinds_in_every_state_some_overdue(users, units, settings):
    settings.YUANQU_DEMO_DISPUTES = demo.CASES  # the full year, as `yuanqu demo` builds it
    make_demo_bureaus(units, ("社会事业局", "建设局", "三和村"))
    started = time.monotonic()
    demo.build_demo(today=clock.today())
    seconds = time.monotonic() - started
    cases = DisputeCase.objects.all()
    assert cases.count() == demo.CASES and not cases.filter(is_demo=False).exists()
    assert {"mediation", "petition"} == set(cases.values_list("kind", flat=True))
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    today = clock.today()
    open_late = cases.filter(DisputeCase.running_overdue_q(today))
    assert open_late.count() >= 5
    assert cases.filter(extended_due__isnull=False).count() >= 5
    assert cases.filter(agreement_reached=False).exists() and cases.filter(agreement_reached=True).count() > 50
    assert SupervisionItem.objects.filter(source_kind="dispute_case", is_demo=True).count() == 4
    assert CaseEvent.objects.dates("time", "day").count() > 100  # steps on their own days
    office = User.objects.get(role_assignments__role="dispute_office")
    assert office.can("disputes.manage")
    print(f"disputes demo: {cases.count()} cases, {CaseEvent.objects.count()} steps in {seconds:.1f} s")
    demo.clear_demo()
    assert not DisputeCase.objects.exists() and not CaseEvent.objects.exists()
