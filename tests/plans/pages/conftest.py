"""Fixtures for the page tests: a draft plan with source spans."""

from decimal import Decimal

import pytest

from yuanqu.core import clock
from yuanqu.plans.models import Measure, Plan, Section, Target

DRAFT_TEXT = (
    "一、招商引资。一是招大引强。全年招引亿元以上项目20个以上。二是优化服务。企业开办时间压缩至1个工作日以内。"
    "二、乡村振兴。新建农村公路10公里，完成农房改造300户。"
)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def draft(units):
    """A draft plan of next year (so activating it does not clash with the active plan) with spans."""
    text = DRAFT_TEXT
    plan = Plan.objects.create(year=clock.today().year + 1, title="草稿计划", source_text=text)
    second = text.index("二、")
    s1 = Section.objects.create(plan=plan, no="一", title="招商引资", order=0, source_start=0, source_end=second)
    s2 = Section.objects.create(plan=plan, no="二", title="乡村振兴", order=1, source_start=second,
                                source_end=len(text))
    m1 = Measure.objects.create(section=s1, no="一是", head="招大引强", order=0)
    m2 = Measure.objects.create(section=s1, no="二是", head="优化服务", order=1)

    def add(section, measure, part, lead, order, **kw):
        start, end = _span(text, part)
        fields = {"kind": Target.Kind.QUANTITY, "comparator": ">=", "target_value": Decimal("10"), "unit": "个"}
        fields.update(kw)
        return Target.objects.create(plan=plan, section=section, measure=measure, title=part, lead_unit=lead,
                                     source_start=start, source_end=end, order=order, **fields)

    add(s1, m1, "全年招引亿元以上项目20个以上", units["invest"], 0, target_value=Decimal("20"))
    add(s1, m2, "企业开办时间压缩至1个工作日以内", None, 1, comparator="<=", target_value=Decimal("1"),
        unit="个工作日")
    add(s2, None, "新建农村公路10公里", None, 2, unit="公里")
    add(s2, None, "完成农房改造300户", units["agri"], 3, target_value=Decimal("300"), unit="户")
    return plan
