"""A plan of a fixed past year with one target in each state at the end of June, so the bulletin's
figures do not depend on the day the tests run."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.plans import services
from yuanqu.plans.models import Plan, Section, Target

from ..factories import make_target

YEAR = 2025
JUNE = dt.date(YEAR, 6, 1)
FILED_ON = dt.date(YEAR, 7, 5)  # the day the June returns were filed and the bulletin made


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def file_report(reporter, supervisor, target, *, value=None, percent=None, period=JUNE, accept=True):
    report = services.report_submit(
        actor=reporter, target=target, period=period, narrative="按计划推进", value=value, percent=percent,
        today=FILED_ON,
    )
    if accept:
        services.report_accept(actor=supervisor, report=report)
    return report


@pytest.fixture
def june_plan(units, users):
    """Targets and their state on 2025-06-30 (序时进度 49.6% for a whole-year target):

    招商局: 招引项目 green (60%), 新增规上企业 red (20%), 固定资产投资 past its May deadline unmet;
    农业农村局: 培育新型农民 done, 高标准农田 not started (starts in September);
    三南村: 水美乡村 yellow (45%).
    """
    plan = Plan.objects.create(year=YEAR, title="2025年度工作计划", source_text="一、招商。二、乡村。",
                               status=Plan.Status.ACTIVE)
    s1 = Section.objects.create(plan=plan, no="一", title="招商引资", order=0)
    s2 = Section.objects.create(plan=plan, no="二", title="乡村振兴", order=1)
    invest, agri, village = units["invest"], units["agri"], units["village"]
    t = {
        "green": make_target(plan, s1, invest, "招引项目100个"),
        "red": make_target(plan, s1, invest, "新增规上企业20家", target_value=Decimal("20"), unit="家"),
        "late": make_target(plan, s1, invest, "完成固定资产投资50亿元", target_value=Decimal("50"), unit="亿元",
                            deadline=dt.date(YEAR, 5, 31)),
        "done": make_target(plan, s2, agri, "培育新型农民不少于150人", target_value=Decimal("150"), unit="人"),
        "idle": make_target(plan, s2, agri, "建成高标准农田1000亩", target_value=Decimal("1000"), unit="亩",
                            start_date=dt.date(YEAR, 9, 1)),
        "yellow": make_target(plan, s2, village, "三南村创建成省级水美乡村", kind=Target.Kind.MILESTONE,
                              comparator="", target_value=None, unit=""),
    }
    t["green"].cooperating_units.add(agri)
    sup = users["supervisor"]
    file_report(users["invest"], sup, t["green"], value="60")
    file_report(users["invest"], sup, t["red"], value="4")
    file_report(users["invest"], sup, t["late"], value="30")
    file_report(users["agri"], sup, t["done"], value="150")
    file_report(users["village"], sup, t["yellow"], percent="45")
    plan.t = t
    return plan
