"""Today's cockpit reads the stored lights (plans.stored: Target.status and the month ends in
TargetMonthStatus) in aggregate queries; on random plans it says what evaluating every target on
today and at each past month end says (the path another day's cockpit takes)."""

from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from yuanqu.cockpit.selectors import evaluated_cockpit_data, stored_cockpit_data
from yuanqu.core import clock as core_clock
from yuanqu.plans import services
from yuanqu.plans.models import Plan, ProgressReport, TargetMonthStatus

from ..plans.test_stored_status import _build, rule_st, target_st

AVERAGES = ("completion", "schedule", "tone")  # SQL's AVG and Python's mean may round apart by 0.1


def _close(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) <= 0.1 + 1e-9)


def _assert_same(stored: dict, evaluated: dict) -> None:
    assert stored["trend"] == evaluated["trend"]
    strip = lambda row: {k: v for k, v in row.items() if k not in AVERAGES}  # noqa: E731
    assert strip(stored["headline"]) == strip(evaluated["headline"])
    for key in ("completion", "schedule"):
        assert _close(stored["headline"][key], evaluated["headline"][key]), key
    assert [strip(r) for r in stored["sections"]] == [strip(r) for r in evaluated["sections"]]
    assert stored["ranking"] == evaluated["ranking"]
    # The laggards' ties (equal gap and rank) may come in either order; their set must agree.
    assert sorted(r["id"] for r in stored["lagging"]) == sorted(r["id"] for r in evaluated["lagging"])


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking a DB-backed case takes minutes
@given(specs=st.lists(target_st, min_size=1, max_size=6), rule=rule_st)
def test_todays_cockpit_from_stored_lights_equals_the_engine(plan, users, units, specs, rule):
    savepoint = transaction.savepoint()
    try:
        pending = _build(plan, plan.sections.first(), units["invest"], specs, users)
        for n, report in enumerate(pending):
            latest = ProgressReport.objects.filter(target=report.target, period=report.period).order_by("-version")
            if latest.first().pk == report.pk:
                (services.report_return if n % 2 else services.report_accept)(
                    actor=users["supervisor"], report=report, **({"comment": "数据不实"} if n % 2 else {}))
        services.plan_update_settings(actor=users["supervisor"], plan=Plan.objects.get(pk=plan.pk), data=rule)
        on = core_clock.today()
        assert TargetMonthStatus.objects.filter(target__plan=plan).exists()  # the trend really reads stored months
        for role in ("leader", "supervisor"):
            stored = stored_cockpit_data(plan, users[role], on)
            evaluated = evaluated_cockpit_data(plan, users[role], on)
            _assert_same(stored, evaluated)
    finally:
        transaction.savepoint_rollback(savepoint)
