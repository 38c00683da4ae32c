"""The clean-up demo over the land and enterprise demos: candidates confirmed and dismissed with
reasons, disposals in every state with late steps, land released flowing into the 盘活 metrics,
the roles granted, all marked demo and cleared again."""

import time
from decimal import Decimal

from yuanqu.cleanup import demo
from yuanqu.cleanup.models import Case, CaseStep, State
from yuanqu.core.metrics import find_metric
from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.land import demo as land_demo
from yuanqu.land.models import Revitalisation
from yuanqu.org.models import User

from ..factories import make_demo_bureaus


def test_the_demo_has_cases_in_every_state_and_releases_land(users, units, clock):
    make_demo_bureaus(units, ("经济发展局", "安全生产监督管理和环境保护局", "建设局"))
    today = clock.today()
    land_demo.build_demo(today=today)
    enterprise_demo.build_demo(today=today, count=400)
    started = time.monotonic()
    demo.build_demo(today=today)
    seconds = time.monotonic() - started
    cases = Case.objects.all()
    assert not cases.filter(is_demo=False).exists()
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    assert set(cases.values_list("category", flat=True)) == {"zombie", "scattered"}
    assert all(c.reason and c.criteria_met for c in cases)
    late = [s for s in CaseStep.objects.all() if s.is_late(today)]
    assert late and CaseStep.objects.filter(done_on__isnull=False).exists()
    assert User.objects.get(username="demo-经济发展局").can("cleanup.manage")
    assert User.objects.get(username="demo-安全生产监督管理和环境保护局").can("cleanup.manage")
    fed = Revitalisation.objects.filter(pk__in=cases.values("revitalisation"))
    assert fed.exists() and all(r.is_demo and r.status == "done" for r in fed)
    on, year = today, [{"year": today.year}]
    released = find_metric("cleanup.land_released").compute_many(year, on)[0]
    assert released >= sum((r.area_mu for r in fed), Decimal(0)) > 0
    assert find_metric("cleanup.zombie_disposed").compute_many(year, on)[0] > 0
    print(f"clean-up demo: {cases.count()} cases, {CaseStep.objects.count()} steps in {seconds:.1f} s")
    demo.clear_demo()
    assert not Case.objects.exists() and not CaseStep.objects.exists()
    land_demo.clear_demo()  # the fed revitalisations are demo rows: they go with the land demo
    assert not Revitalisation.objects.exists()
