"""A task list imported through the real extractor: a plan in two parts (rules, then an annex of
tasks numbered from 一 again), the four phrasings of units, deadlines resolved against the year."""

import datetime as dt

from yuanqu.org.models import OrgUnit
from yuanqu.plans import services
from yuanqu.plans.models import Target

TWO_PARTS = """某区2027年重点工作考评办法
一、考评对象
全区各部门、各街道。
二、考评方式
采取平时考评与年终考评相结合的方式。
附件
某区2027年重点工作任务
一、优化营商环境
1．完成政务服务事项标准化梳理（6月底完成，牵头单位：区政务服务局）（1分）
2．全年新增市场主体不少于500户（经济发展局负责，招商局配合）（2分）
二、推进项目建设
3．9月底前新开工亿元以上项目10个（招商局牵头，经济发展局配合）
4．建成智慧园区平台（三季度末完成，责任单位：经济发展局）
"""


def test_a_two_part_task_list_arrives_assigned_dated_and_scored(zone, users):
    plan = services.plan_import_text(actor=users["supervisor"], text=TWO_PARTS)
    assert (plan.year, plan.title) == (2027, "某区2027年重点工作考评办法")
    sections = [(s.no, s.title) for s in plan.sections.order_by("order")]
    assert sections == [("一", "【办法】考评对象"), ("二", "【办法】考评方式"),
                        ("一", "【附件】优化营商环境"), ("二", "【附件】推进项目建设")]
    targets = {t.as_written.get("item"): t for t in plan.targets.alive().select_related("section", "lead_unit")}
    assert set(targets) == {"1", "2", "3", "4"}
    gov = OrgUnit.objects.get(name="政务服务局")  # 区政务服务局 → by the common prefix
    assert (targets["1"].lead_unit, targets["1"].deadline, targets["1"].points) == (gov, dt.date(2027, 6, 30), 1)
    assert targets["2"].lead_unit == zone["econ"] and list(targets["2"].cooperating_units.all()) == [zone["invest"]]
    assert (targets["3"].lead_unit, targets["3"].deadline) == (zone["invest"], dt.date(2027, 9, 30))
    assert targets["3"].title.startswith("9月底前新开工")  # the item's number is not part of it
    assert (targets["4"].deadline, targets["4"].kind) == (dt.date(2027, 9, 30), Target.Kind.MILESTONE)
    assert all(t.section.title.startswith("【附件】") for t in targets.values())
    # Every target has its lead unit: the plan activates with nothing retyped.
    services.plan_activate(actor=users["supervisor"], plan=plan)


def test_numbering_that_restarts_keeps_every_target_under_its_own_heading(users, units):
    text = ("一、招商引资。全年招引亿元以上项目20个以上。\n二、乡村振兴。培育新型农民不少于150人。\n"
            "一、安全生产。开展安全检查不少于12次。\n二、环境保护。新增绿地不少于30亩。\n")
    plan = services.plan_import_text(actor=users["supervisor"], text=text, year=2027)
    under = {t.section.title: t.title for t in plan.targets.select_related("section")}
    assert under["招商引资"].startswith("全年招引") and under["乡村振兴"].startswith("培育新型农民")
    assert under["安全生产"].startswith("开展安全检查") and under["环境保护"].startswith("新增绿地")
