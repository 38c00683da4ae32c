"""Demo visits and requests for `yuanqu demo`: a year of 走帮服 over the demo enterprises up to the
demo's today — a few hundred visits, most with a request, in every state (a few sent back, moved to
another unit, raised to a 督办单), some answered late and some open past due. Everything through the
services, dated on the day it happened, marked is_demo. The 招商局's demo reporter also gets the
走帮服干部 role and the 经发局's the 经发局企业管理员 role, so the demo shows who does what."""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps

from yuanqu.core.services import forget_history
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.enterprises.models import Enterprise
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import categories, services
from .abilities import VISITOR
from .models import EnterpriseRequest, RequestCategory, RequestEvent, Visit

VISITS = 320
DIRECT = 8  # requests an enterprise raised directly, this week
LEADERS = ["周建国", "陈副主任", "刘副主任", "张部长"]
CADRES = ["王磊", "李娜", "黄伟", "吴敏", "郑刚"]
VISITING_UNITS = ["招商局", "经济发展局", "农业农村局"]
# category → the unit that answers it
HANDLERS = {"用工": "社会事业局", "融资": "经济发展局", "用地": "建设局", "审批": "行政审批局", "政策": "经济发展局",
            "基础设施": "建设局"}
FINDINGS = ["生产经营正常，订单饱满", "产能利用率偏低，订单下滑", "新建厂房即将竣工", "研发投入加大，申报高新技术企业",
            "用电负荷接近上限", "计划明年扩产"]
ASKS = {"用工": ["技术工人缺口约30人", "希望组织专场招聘会", "外地员工子女入学"],
        "融资": ["流动资金贷款到期续贷困难", "希望对接科技贷", "申请贴息政策"],
        "用地": ["扩建需新增用地约20亩", "厂区道路用地手续", "标准厂房租赁"],
        "审批": ["环评审批进度慢", "施工许可办理咨询", "消防验收排期"],
        "政策": ["技改补贴兑现", "专精特新申报辅导", "研发费用加计扣除"],
        "基础设施": ["厂区门前道路破损", "污水管网接入", "增容变压器"]}


def clear_demo() -> None:
    for model in (EnterpriseRequest, Visit):
        ids = list(model.objects.filter(is_demo=True).values_list("pk", flat=True))
        if model is EnterpriseRequest:
            RequestEvent.objects.filter(request__in=ids).delete()
        model.objects.filter(pk__in=ids).delete()
        forget_history(model, ids)


def _walk(rng: random.Random, request: EnterpriseRequest, today: dt.date, economy_unit: OrgUnit | None,
          units: dict[str, OrgUnit]) -> None:
    """Take the request as far as its age and luck allow, each step on its own day."""
    day, due = request.received_on, request.due_on
    # Most units answer within the limit, some late; a few not at all yet.
    answer_in = rng.choice([3, 5, 7, 8, 9, 12, 16, 25]) if rng.random() < 0.9 else 400
    plan = [("accept", 1, {}), ("handle", 2, {"comment": "已对接企业"})]
    if rng.random() < 0.06:  # the first unit was the wrong one
        other = rng.choice([u for u in units.values() if u.pk != request.assigned_unit_id])
        plan.insert(1, ("reassign", 1, {"assigned_unit": other.pk, "comment": "不属本单位职责，改派"}))
        plan.insert(2, ("accept", 1, {}))
    plan.append(("reply", answer_in, {"comment": "已协调解决，详见答复意见"}))
    if rng.random() < 0.08:
        plan += [("return", 2, {"comment": "企业反映问题未解决"}), ("reply", 4, {"comment": "已再次协调并落实"})]
    score = rng.choices([5, 4, 3, 2], weights=[50, 30, 15, 5])[0]
    plan += [("evaluate", 3, {"satisfaction": score, "comment": "" if score > 3 else "办理不够及时"}), ("close", 2, {})]
    for action, after, data in plan:
        day = day + dt.timedelta(days=after)
        if day > today:
            break
        services.request_step(actor=None, request=request, action=action, today=day, **data)
        request.refresh_from_db()
    if request.state in ("submitted", "accepted", "handling") and due < today and rng.random() < 0.3 \
            and economy_unit is not None:
        services.request_step(actor=None, request=request, action="raise", today=today,
                              deadline=today + dt.timedelta(days=20), comment="久拖未决，提请督办")


def build_demo(*, today: dt.date) -> None:
    categories.load(apps.get_model)  # a database flushed since migrating (a test's) lacks the shipped list
    enterprises = list(Enterprise.objects.filter(is_demo=True).order_by("pk")[:VISITS])
    if not enterprises:
        return
    named = {u.name: u for u in OrgUnit.objects.filter(is_demo=True, is_active=True)}
    units = {c: named[n] for c, n in HANDLERS.items() if n in named}
    visiting = [named[n] for n in VISITING_UNITS if n in named]
    if not units or not visiting:
        return
    cadre = org_services.demo_clerk(named.get("招商局"), VISITOR)
    org_services.demo_clerk(named.get("经济发展局"), ECONOMY)
    kinds = {c.name: c for c in RequestCategory.objects.filter(name__in=list(units))}
    rng = random.Random(20260412)
    start = today - dt.timedelta(days=365)
    for _ in range(VISITS):
        day = start + dt.timedelta(days=rng.randint(0, 365))
        visit = services.visit_create(actor=cadre, is_demo=True, today=today, data={
            "enterprise": rng.choice(enterprises), "visited_on": day, "unit": rng.choice(visiting),
            "visitors": f"{rng.choice(LEADERS)}、{rng.choice(CADRES)}", "findings": rng.choice(FINDINGS)})
        for _ask in range(rng.choices([0, 1, 2], weights=[25, 60, 15])[0]):
            name = rng.choice(list(kinds))
            request = services.request_create(actor=cadre, is_demo=True, today=today, data={
                "visit": visit, "category": kinds[name], "text": rng.choice(ASKS[name]),
                "assigned_unit": units[name]})
            _walk(rng, request, today, named.get("经济发展局"), units)
    # A few raised by enterprises themselves this week, not yet accepted.
    for back in range(DIRECT):
        name = rng.choice(list(kinds))
        services.request_create(actor=None, is_demo=True, today=today, data={
            "enterprise": rng.choice(enterprises), "category": kinds[name], "text": rng.choice(ASKS[name]),
            "assigned_unit": units[name], "received_on": today - dt.timedelta(days=back % 4)})
