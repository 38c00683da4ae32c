"""`yuanqu demo`: a fresh, deterministic demo zone built through the services."""

import datetime as dt
import os
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction

from yuanqu.core.abilities import ROLES
from yuanqu.core.models import ChangeRecord
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.demo import PASSWORD_ENV, USERS
from yuanqu.plans.models import LedgerItem, Plan, ProgressReport, Target
from yuanqu.plans.selectors import evaluate_targets
from yuanqu.plans.status import Status

from ..conftest import module_test_settings

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 15)


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    """The account table `yuanqu demo` prints: username → password."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["用户名", "密码"]) + 1
    rows = [line.split() for line in lines[start:] if line.startswith("  ") and line.strip()]
    return {row[0]: row[1] for row in rows}


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo for this module's tests, built once (a full demo is most of the suite's time) in a
    transaction rolled back at the module's end; each test runs in a savepoint inside it, so what a
    test changes is undone before the next. Tests needing an empty database live in
    test_demo_command_guards.py."""
    with django_db_blocker.unblock(), module_test_settings(tmp_path_factory), mock.patch.dict(os.environ):
        os.environ.pop(PASSWORD_ENV, None)  # the printed passwords are the random ones
        with transaction.atomic():
            yield run_demo()
            transaction.set_rollback(True)


@pytest.fixture
def demo_output(built_demo, db):
    return built_demo


def demo_plan() -> Plan:
    return Plan.objects.get(is_demo=True)


def test_demo_creates_a_login_for_every_role_and_prints_it(demo_output):
    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("unit")}
    # Every role any app declares (core.abilities.ROLES) has a demo login: the registers' demos give
    # their roles to the units that hold them (审批人员, 走帮服干部, 检查人员, 党建办工作人员, …).
    assert set().union(*(u.role_codes() for u in users.values())) == set(ROLES)
    admin = users["admin"]
    assert admin.is_staff and admin.is_superuser and admin.role_codes() == {Role.ADMIN}
    assert users["supervisor"].can("supervision.oversee") and users["supervisor"].unit.name == "督查室"
    assert users["leader"].can("plans.read_all") and not users["leader"].can("plans.edit_plan")
    # One person holds two roles: reporter for both 片区, so for every village under either.
    two = users["pq"]
    assert sorted(h.unit_name for h in two.assignments()) == ["三和片区", "江心沙片区"]
    assert {"三南村", "建南村"} <= set(two.units_for("plans.report_progress").units().values_list("name", flat=True))
    assert "三和片区、江心沙片区" in demo_output
    passwords = printed_passwords(demo_output)
    assert set(passwords) == {spec.username for spec in USERS}
    for spec in USERS:
        assert users[spec.username].check_password(passwords[spec.username]), spec.username
    assert "用户名" in demo_output and "密码" in demo_output and "http://127.0.0.1:8000" in demo_output
    # Every reporter has something of their own to report on.
    for user in users.values():
        if Role.REPORTER in user.role_codes():
            assert Target.objects.reportable_by(user).exists(), user.username


def test_demo_builds_the_unit_tree_the_seed_implies(demo_output):
    units = {u.name: u for u in OrgUnit.objects.select_related("parent")}
    committee = units["管委会"]
    assert committee.parent is None and committee.kind == OrgUnit.Kind.COMMITTEE
    for name in ["招商局", "经济发展局", "建设局", "行政审批局", "党建工作办公室", "农业农村局", "社会事业局",
                 "安全生产监督管理和环境保护局", "督查室", "长江口集团"]:
        assert units[name].parent == committee, name
    assert units["长江口集团"].kind == OrgUnit.Kind.COMPANY
    assert units["安全生产监督管理和环境保护局"].label == "安监与环保"
    for name in ["大兴村", "兄弟村", "新远村", "建南村", "三南村", "高店村", "三和村", "三圩村"]:
        assert units[name].kind == OrgUnit.Kind.VILLAGE
        assert units[name].parent.kind == OrgUnit.Kind.AREA
        assert units[name].pk in set(OrgUnit.objects.subtree(committee).values_list("pk", flat=True))
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNITY).exists()
    assert not OrgUnit.objects.filter(is_demo=False).exists()


def test_demo_plan_is_active_with_every_target_assigned(demo_output):
    plan = demo_plan()
    assert plan.status == Plan.Status.ACTIVE and plan.year == 2026
    targets = plan.targets.alive()
    assert targets.count() >= 20
    assert not targets.filter(lead_unit__isnull=True).exists()
    assert targets.filter(cooperating_units__isnull=False).exists()
    leads = {t.title[:6]: t.lead_unit.label for t in targets.select_related("lead_unit")}
    assert leads["培育新型农民"] == "农业农村局"
    assert leads["建成2家省示"] == "社会事业局"
    assert leads["确保不发生重"] == "安监与环保"
    assert leads["三南村创建成"] == "三南村"
    assert f"计划 #{plan.pk}" in demo_output
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.ACTIVATE, actor__username="supervisor").exists()


def test_demo_targets_show_every_status_on_its_today(demo_output):
    targets = list(demo_plan().targets.alive().select_related("plan"))
    statuses = [e.status for e in evaluate_targets(targets, TODAY).values()]
    for status in Status:
        assert status in statuses, status
    # The printed summary agrees with the evaluation.
    assert f"{Status.RED.label} {statuses.count(Status.RED)}" in demo_output


def test_demo_has_ledgers_and_every_review_outcome(demo_output):
    plan = demo_plan()
    ledgers = plan.targets.filter(kind=Target.Kind.LEDGER)
    assert ledgers.count() >= 4
    items = LedgerItem.objects.filter(target__plan=plan)
    assert {i.name for i in items} >= {"大兴村经营收入达50万元以上", "三圩村示范党组织", "三和中学直饮水工程"}
    assert items.filter(status=LedgerItem.Status.DONE, completed_on__lte=TODAY).exists()
    assert items.filter(status=LedgerItem.Status.IN_PROGRESS).exists()
    # Item progress was recorded by the lead unit's reporter, not written behind the services' back.
    assert ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(LedgerItem), action=ChangeRecord.Action.UPDATE,
        actor__role_assignments__role=Role.REPORTER,
    ).exists()

    reports = ProgressReport.objects.filter(target__plan=plan)
    assert reports.filter(period__gt=dt.date(2026, 7, 1)).count() == 0  # through last month only
    current = reports.current()
    returned = current.filter(review=ProgressReport.Review.RETURNED)
    assert returned.count() == 1 and returned.get().review_comment
    assert current.filter(review=ProgressReport.Review.PENDING).count() == 1
    corrected = reports.filter(version=2).get()
    first = reports.get(target=corrected.target, period=corrected.period, version=1)
    assert (first.review, corrected.review) == (ProgressReport.Review.RETURNED, ProgressReport.Review.ACCEPTED)
    assert reports.filter(is_demo=False).count() == 0
    assert reports.exclude(submitted_by__role_assignments__role=Role.REPORTER).count() == 0


def test_running_demo_twice_leaves_one_fresh_demo_with_fresh_passwords(demo_output, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    first_plan = demo_plan()
    counts = (User.objects.count(), OrgUnit.objects.count(), ProgressReport.objects.count())
    out = run_demo()
    assert "已删除旧的演示数据" in out
    plan = demo_plan()
    assert plan.pk != first_plan.pk
    assert (User.objects.count(), OrgUnit.objects.count(), ProgressReport.objects.count()) == counts
    # The old demo's history went with it.
    plan_ct = ContentType.objects.get_for_model(Plan)
    assert set(ChangeRecord.objects.filter(content_type=plan_ct).values_list("object_id", flat=True)) == {plan.pk}
    # No password survives a rebuild, and every account has its own.
    first, second = printed_passwords(demo_output), printed_passwords(out)
    assert len(set(first.values())) == len(first) and all(len(p) >= 12 for p in first.values())
    assert not set(first.values()) & set(second.values())
    admin = User.objects.get(username="admin")
    assert admin.check_password(second["admin"]) and not admin.check_password(first["admin"])


def test_demo_binds_the_seed_investment_targets_to_the_register(demo_output):
    from yuanqu.investment.models import Currency, LeadEvent
    from yuanqu.plans.selectors import live_metric_values

    bound = list(demo_plan().targets.alive().filter(metric="investment.largest_signed"))
    assert sorted(t.target_value for t in bound) == [50, 100]
    assert all(t.section.no == "一" and t.metric_params == {"year": 2026} for t in bound)
    # Their figure is the register's: the largest RMB lead signed in 2026 up to the demo's day.
    signed = LeadEvent.objects.filter(action=LeadEvent.Action.SIGN, time__year=2026, time__date__lte=TODAY,
                                      lead__currency=Currency.CNY).values_list("lead__amount", flat=True)
    largest = max((a for a in signed if a is not None), default=0) / 10000
    values = live_metric_values(bound, TODAY)
    assert {values.get(t.pk) for t in bound} == {largest}


def test_demo_named_projects_target_counts_the_project_register(demo_output):
    from yuanqu.plans.selectors import live_metric_values
    from yuanqu.projects.models import Project
    from yuanqu.projects.selectors import reached_by

    target = demo_plan().targets.alive().get(metric="projects.named_in_stage")
    assert "豪华邮轮" in target.title and target.target_value == 4 and not target.ledger_items.exists()
    # Its figure is how many of the four named demo projects reached 开工 by the demo's day.
    named = [Project.objects.filter(name__contains=n).order_by("-total_investment", "id").first()
             for n in ("豪华邮轮", "皓晶", "嘉浩", "佳禾")]
    started = reached_by([p.pk for p in named], "started", TODAY)
    assert live_metric_values([target], TODAY).get(target.pk) == sum(p.pk in started for p in named)


def test_the_large_demo_grows_to_its_totals_with_a_year_of_reports_and_right_lights(demo_output):
    """`yuanqu demo --size large`'s builder on the demo, at a fiftieth of the size so it runs in seconds."""
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.grid.models import GridEvent
    from yuanqu.plans import demo_large
    from yuanqu.projects.models import Project, StageStep

    said = []
    size = demo_large.LARGE.scaled(0.02)
    demo_large.build(today=TODAY, size=size, progress=said.append)
    targets = Target.objects.alive().filter(plan__is_demo=True)
    assert targets.count() == size.targets
    assert Enterprise.objects.filter(is_demo=True).count() == size.enterprises
    assert Project.objects.filter(is_demo=True).count() == size.projects
    assert GridEvent.objects.filter(is_demo=True).count() == size.grid_events
    assert any("已生成目标" in line for line in said) and said[-1].endswith("完成")
    grown = targets.filter(title__contains="年度工作目标")
    assert len({t.kind for t in grown}) >= 3 and len({t.lead_unit_id for t in grown}) >= 10
    # Every month January–July, filed after its month ended; of the latest month some wait for
    # review or were returned, a few never came; the months before were all accepted.
    reports = ProgressReport.objects.filter(target__in=grown)
    july = dt.date(2026, 7, 1)
    assert set(reports.dates("period", "month")) == {dt.date(2026, m, 1) for m in range(1, 8)}
    assert not reports.filter(period=july, submitted_at__date__lte=dt.date(2026, 7, 31)).exists()
    latest = reports.filter(period=july)
    assert latest.filter(review=ProgressReport.Review.PENDING).exists()
    assert latest.filter(review=ProgressReport.Review.RETURNED).exists()
    assert latest.count() < grown.count()
    assert not reports.exclude(period=july).exclude(review=ProgressReport.Review.ACCEPTED).exists()
    # The lights are stored right (nothing for a page to catch up on) and not all one colour.
    check = StringIO()
    call_command("statuses", "--check", stdout=check)
    assert "一致" in check.getvalue()
    assert len(set(grown.values_list("status", flat=True))) >= 4
    assert StageStep.objects.filter(project__is_demo=True).count() == 6 * size.projects
