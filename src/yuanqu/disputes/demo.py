"""Demo mediation cases and petitions for `yuanqu demo`: a year of them up to the demo's today —
a few hundred, in every state, most on time, some late, some open past a limit, a few extended,
reviewed and re-reviewed, declined, reassigned or raised to a 督办单. Everything through the
services, each step dated on its own day, marked is_demo. The 社会事业局's demo reporter also gets
the 信访调解办 role, so the demo shows who runs the cases."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings

from yuanqu.core.services import forget_history
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import services
from .abilities import OFFICE
from .models import CaseEvent, DisputeCase, DisputeType

CASES = 300  # the default of settings.YUANQU_DEMO_DISPUTES
OFFICE_UNIT = "社会事业局"
HANDLERS = ["三和村", "三南村", "三圩村", "高店村", "大兴村", "兄弟村", "新远村", "建南村", "紫郡社区", "謇公湖社区",
            "社会事业局", "建设局", "农业农村局", "安全生产监督管理和环境保护局"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙朱马胡郭何高林罗"
TITLES = {
    DisputeType.FAMILY: ["赡养费分担纠纷", "离婚财产分割纠纷"],
    DisputeType.NEIGHBOUR: ["宅基地界址纠纷", "排水沟堵塞引发邻里矛盾", "楼上漏水纠纷"],
    DisputeType.LABOUR: ["拖欠工资", "工伤赔偿争议", "解除劳动合同补偿"],
    DisputeType.LAND: ["征地补偿标准有异议", "拆迁安置房分配", "土地流转租金拖欠"],
    DisputeType.PROPERTY: ["物业费收取争议", "小区停车位管理"],
    DisputeType.CONTRACT: ["装修合同纠纷", "农资买卖合同纠纷"],
    DisputeType.DAMAGE: ["交通事故赔偿", "宠物伤人赔偿"],
    DisputeType.ENVIRONMENT: ["企业噪声扰民", "养殖场异味"],
}
COMMITTEES = ["园区人民调解委员会", "村人民调解委员会", "劳动争议调解委员会", "物业纠纷人民调解委员会"]
MEDIATORS = ["陈建华", "顾美玲", "施国平", "沈卫东"]


def clear_demo() -> None:
    ids = list(DisputeCase.objects.filter(is_demo=True).values_list("pk", flat=True))
    CaseEvent.objects.filter(case__in=ids).delete()
    DisputeCase.objects.filter(pk__in=ids).delete()
    forget_history(DisputeCase, ids)


def _go(case, action, day, today, **data):
    if day > today:
        return None
    return services.case_step(actor=None, case=case.pk, action=action, today=day, on=day, **data)


def _mediation(rng, case, today):
    day = case.received_on + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5]))
    if not (case := _go(case, "accept", day, today)):
        return
    takes = rng.choice([3, 7, 10, 15, 20, 28, 34, 40]) if rng.random() < 0.93 else 400
    if 28 <= takes < 400 and rng.random() < 0.5:  # a long one is extended in time, some are not
        if not (case := _go(case, "extend", day + dt.timedelta(days=25), today, approver="调委会主任",
                            comment="当事人外出务工，需延期调解")):
            return
    day += dt.timedelta(days=takes)
    reached = rng.random() < 0.86
    if not (case := _go(case, "conclude", day, today, agreement_reached=reached,
                        agreement_text="双方自愿达成协议，按约定履行" if reached else "",
                        comment="经调解" + ("达成一致" if reached else "未能达成一致，告知诉讼途径"))):
        return
    day += dt.timedelta(days=rng.choice([5, 10, 20, 25, 35]) if rng.random() < 0.9 else 400)
    _go(case, "follow_up", day, today, comment="回访：协议履行良好" if reached else "回访：已引导至法院起诉")


def _petition(rng, case, today, units):
    day = case.received_on + dt.timedelta(days=rng.choice([1, 3, 5, 8, 12, 14, 18]))
    if rng.random() < 0.05:
        other = rng.choice([u for u in units if u.pk != case.assigned_unit_id])
        if not (case := _go(case, "reassign", case.received_on, today, assigned_unit=other.pk, comment="属地管理")):
            return
    if rng.random() < 0.06:
        _go(case, "decline", day, today, comment="已通过诉讼程序解决，依法不予受理")
        return
    if not (case := _go(case, "accept", day, today)):
        return
    takes = rng.choice([20, 30, 40, 50, 58, 65, 75, 85]) if rng.random() < 0.92 else 400
    if 58 <= takes < 400 and rng.random() < 0.6:  # a long one is extended in time, some are not
        if not (case := _go(case, "extend", day + dt.timedelta(days=50), today, approver="园区信访工作联席会议",
                            comment="涉及多个部门，情况复杂")):
            return
    day += dt.timedelta(days=takes)
    if not (case := _go(case, "answer", day, today, comment="经调查核实，依据相关政策作出答复")):
        return
    if rng.random() < 0.75:
        _go(case, "close", day + dt.timedelta(days=31), today, comment="信访人未在期限内申请复查")
        return
    day += dt.timedelta(days=rng.randint(5, 28))
    if not (case := _go(case, "request_review", day, today)):
        return
    day += dt.timedelta(days=rng.choice([15, 25, 29, 35]))
    if not (case := _go(case, "review", day, today, comment="复查维持原处理意见")):
        return
    if rng.random() < 0.5:
        _go(case, "close", day + dt.timedelta(days=31), today, comment="信访人未申请复核")
        return
    day += dt.timedelta(days=rng.randint(3, 25))
    if (case := _go(case, "request_rereview", day, today)):
        _go(case, "rereview", day + dt.timedelta(days=rng.choice([20, 28, 33])), today, comment="复核维持")


def build_demo(*, today: dt.date) -> None:
    named = {u.name: u for u in OrgUnit.objects.filter(is_demo=True, is_active=True)}
    units = [named[n] for n in HANDLERS if n in named]
    office_unit = named.get(OFFICE_UNIT)
    if not units or office_unit is None:
        return
    office = org_services.demo_clerk(office_unit, OFFICE)
    rng = random.Random(20261204)
    start = today - dt.timedelta(days=365)
    for n in range(settings.YUANQU_DEMO_DISPUTES):
        kind = "mediation" if rng.random() < 0.6 else "petition"
        dispute_type = rng.choice(list(TITLES))
        received = start + dt.timedelta(days=rng.randint(0, 365))
        names = "、".join(rng.choice(SURNAMES) + rng.choice("建国秀英志强桂兰海燕明华") for _ in range(rng.choice([1, 2, 2, 3])))
        case = services.case_create(actor=office, is_demo=True, today=today, data={
            "kind": kind, "title": rng.choice(TITLES[dispute_type]), "parties": names, "dispute_type": dispute_type,
            "assigned_unit": rng.choice(units), "received_on": received,
            "mediator": rng.choice(MEDIATORS) if kind == "mediation" else "",
            "committee": rng.choice(COMMITTEES) if kind == "mediation" else "",
            "content": f"演示案件{n + 1}"})
        if kind == "mediation":
            _mediation(rng, case, today)
        else:
            _petition(rng, case, today, units)
    # The oldest open ones past a limit are raised to a 督办单.
    late = DisputeCase.objects.filter(DisputeCase.running_overdue_q(today), is_demo=True).order_by("received_on")[:4]
    for case in late:
        services.case_step(actor=office, case=case, action="raise", today=today,
                           deadline=today + dt.timedelta(days=15), comment="超期未办结，提请督办")
