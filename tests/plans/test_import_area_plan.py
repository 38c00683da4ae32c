"""A pasted 片区 task list through the real extractor: every target dated whether its deadline
stands before or after the task's wording; a text with a wrong date or score is refused whole."""

import datetime as dt

import pytest
from django.urls import reverse

from yuanqu.core.errors import ApplicationError
from yuanqu.plans import services
from yuanqu.plans.models import Plan

AREA_PLAN = """三和片区2027年重点工作安排
一、产业发展
1. 全年完成片区固定资产投资不少于8亿元（牵头单位：招商局）（2分）7月底前完成年度投资的50%。
2. 新签约产业项目3个以上（招商局牵头，农业农村局配合），年底前完成。（3分）
3. 年底前新增规上企业2家（招商局负责）
二、乡村建设
4. 硬化三南村通组道路6公里（责任单位：农业农村局），5月底前开工，10月底前建成。（2分）
5. 改造农村户厕200户（农业农村局牵头），三季度末前完成。
6. 开展人居环境整治不少于10次（农业农村局负责），持续推进。（1分）
"""


def test_every_target_of_a_pasted_area_plan_is_dated(zone, users, client_as):
    plan = services.plan_import_text(actor=users["supervisor"], text=AREA_PLAN)
    assert (plan.year, plan.title) == (2027, "三和片区2027年重点工作安排")
    got = [(t.as_written.get("item"), t.target_value, t.deadline, t.as_written.get("ongoing", False))
           for t in plan.targets.alive().order_by("order")]
    assert got == [
        ("1", 8, dt.date(2027, 12, 31), False),
        ("1", 50, dt.date(2027, 7, 31), False),
        ("2", 3, dt.date(2027, 12, 31), False),
        ("3", 2, dt.date(2027, 12, 31), False),
        ("4", 6, dt.date(2027, 10, 31), False),
        ("5", 200, dt.date(2027, 9, 30), False),
        ("6", 10, None, True),
    ]
    road = plan.targets.get(as_written__item="4")
    assert road.as_written["steps"] == [{"text": "5月底前开工", "deadline": "2027-05-31"}]
    assert road.lead_unit == zone["agri"] and road.points == 2
    page = client_as("supervisor").get(reverse("plans:plan_review", args=[plan.pk])).content.decode()
    assert "节点：5月底前开工" in page
    heads = [m.head for m in plan.sections.get(no="二").measures.order_by("order")]
    assert heads == ["硬化三南村通组道路6公里", "改造农村户厕200户", "开展人居环境整治不少于10次"]


@pytest.mark.parametrize(("wrong", "right", "named"), [
    ("三季度末前完成", "13月底前完成", ["第5项", "“13月底前完成”", "不是有效日期"]),
    ("（牵头单位：招商局）（2分）", "（牵头单位：招商局）（两分）", ["第1项", "“两分”", "阿拉伯数字"]),
    ("（责任单位：农业农村局）", "（完成时限：2027年2月30日；责任单位：农业农村局）",
     ["第4项", "“2027年2月30日”", "不是有效日期"]),
])
def test_a_wrong_date_or_score_refuses_the_import_and_names_the_task(zone, users, wrong, right, named):
    text = AREA_PLAN.replace(wrong, right, 1)
    assert text != AREA_PLAN
    with pytest.raises(ApplicationError) as err:
        services.plan_import_text(actor=users["supervisor"], text=text)
    assert err.value.field == "source_text"
    assert all(part in err.value.message for part in named), err.value.message
    assert "重新导入" in err.value.message
    assert not Plan.objects.exists()
