"""The assessment demo, on a small demo zone built here (the full `yuanqu demo` is tested elsewhere)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_target, make_user
from yuanqu.assessment import demo
from yuanqu.assessment.models import BonusItem, Run, Scheme, Veto
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.models import Plan, Section

TODAY = dt.date(2026, 9, 15)


@pytest.fixture
def demo_zone(db):
    names = ["招商局", "行政审批局", "农业农村局", "建设局", "经济发展局"]
    units = {n: OrgUnit.objects.create(name=n, is_demo=True) for n in names}
    User.objects.filter(pk=make_user("demo-super", Role.SUPERVISOR).pk).update(is_demo=True)
    for i, n in enumerate(names[:3]):
        User.objects.filter(pk=make_user(f"demo-r{i}", Role.REPORTER, units[n]).pk).update(is_demo=True)
    plan = Plan.objects.create(year=2026, title="演示计划", source_text="一、", status=Plan.Status.ACTIVE,
                               is_demo=True)
    section = Section.objects.create(plan=plan, no="一", title="重点工作")
    for n, unit in units.items():
        make_target(plan, section, unit, f"{n}年度任务", target_value=Decimal("10"))
    return units


def test_demo_builds_an_active_scheme_bonuses_a_veto_and_a_signed_off_run(demo_zone):
    run = demo.build_demo(year=2026, today=TODAY)
    scheme = Scheme.objects.get()
    assert scheme.is_demo and scheme.status == Scheme.Status.ACTIVE
    assert sorted((g.kind, int(g.weight)) for g in scheme.groups.all()) == [("common", 20), ("specific", 80)]
    statuses = sorted(BonusItem.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "pending"]
    assert BonusItem.objects.get(status="pending").proposed_by.unit == demo_zone["农业农村局"]
    veto = Veto.objects.get()
    assert veto.unit == demo_zone["建设局"] and "安全责任事故" in veto.reason
    assert run.status == Run.Status.SIGNED_OFF and run.on == TODAY and run.unit_count == 5
    assert run.signed_off_by.is_demo and run.signed_off_by.role_codes() == {Role.SUPERVISOR}
    built = run.results.get(unit=demo_zone["建设局"])
    assert built.vetoed and built.grade == "不合格"


def test_building_again_replaces_the_previous_demo(demo_zone):
    demo.build_demo(year=2026, today=TODAY)
    demo.build_demo(today=TODAY)  # the year defaults to the demo plan's
    assert Scheme.objects.count() == 1 and Run.objects.count() == 1 and BonusItem.objects.count() == 3
    assert demo.clear_demo() == 1
    assert not Scheme.objects.exists() and not Run.objects.exists()


@pytest.mark.parametrize("today", [dt.date(2026, 8, 15), dt.date(2026, 12, 4)])
def test_in_the_full_demo_a_unit_whose_lights_are_good_is_not_graded_a_failure(db, clock, today):
    """安监与环保 leads two zero-incident targets (green) and one works target starting on 31
    December (not begun): it scored 18.10 and 不合格 while its lights were good."""
    from io import StringIO

    from django.core.management import call_command

    from yuanqu.assessment.models import RunResult
    from yuanqu.plans.models import Target
    from yuanqu.plans.selectors import evaluate_targets
    from yuanqu.plans.status import Status
    from yuanqu.reports.models import Bulletin

    clock.set_today(today)
    call_command("demo", "--year", "2026", "--today", today.isoformat(), stdout=StringIO(), stderr=StringIO())
    unit = OrgUnit.objects.get(name="安全生产监督管理和环境保护局")
    targets = list(Target.objects.filter(lead_unit=unit).select_related("plan"))
    lights = {ev.status for ev in evaluate_targets(targets, today).values()}
    assert lights <= {Status.GREEN, Status.DONE, Status.NOT_STARTED} and Status.GREEN in lights
    result = RunResult.objects.get(unit=unit)
    # 共性 8.5 + 9.6 = 18.1, plus the 个性 80 shared by the two green targets (the third not begun).
    assert result.indicator == Decimal("98.10") and result.grade != "不合格"
    zero = next(ln for ln in result.lines.all() if ln.description == "确保不发生重特大安全生产事故")
    assert zero.points == Decimal("40.00")
    assert any("尚未开始" in ln.explanation for ln in result.lines.all() if ln.kind == "note")
    # The demo's bulletins: the month issued and signed, a newer version left as a draft.
    assert sorted(Bulletin.objects.values_list("version", "status")) == [(1, "issued"), (2, "draft")]
