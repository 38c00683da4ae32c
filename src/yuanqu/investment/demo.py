"""Demo 招商 for `yuanqu demo`: a target-company library and about a hundred leads across the
stages, with follow-ups, built through the services (so timelines and history are the real ones)
and backdated relative to `today`. Rows are marked is_demo; `clear_demo()` removes them before the
plans demo removes its units and users."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from yuanqu.chains.models import ChainNode
from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import first_holder

from . import services
from .models import PIPELINE, AttractionMode, CompanyTag, FollowUp, Lead, LeadEvent, Stage, TargetCompany
from .regions import split_region

Kind = TargetCompany.Kind
# Examples of the kinds of company domain.md §3 names; made-up names, not real firms.
COMPANIES = [
    ("远洋重工集团", Kind.CENTRAL, ("龙头型", "基地型"), "北京市", "北京市", "船舶海工"),
    ("华东邮轮配套有限公司", Kind.PRIVATE, ("基地型",), "上海市", "上海市", "邮轮配套"),
    ("博海智能装备股份有限公司", Kind.PRIVATE, ("科技型",), "江苏省", "苏州市", "高端装备"),
    ("北欧船舶设计集团", Kind.GLOBAL, ("龙头型", "品牌型"), "", "赫尔辛基", "船舶设计"),
    ("德曼精密机械（中国）有限公司", Kind.FOREIGN, ("科技型",), "上海市", "上海市", "精密机械"),
    ("中能新材料集团", Kind.CENTRAL, ("龙头型",), "北京市", "北京市", "新材料"),
    ("江海新能源科技有限公司", Kind.PRIVATE, ("科技型",), "浙江省", "宁波市", "新能源"),
    ("环亚物流控股", Kind.FOREIGN, ("基地型",), "香港特别行政区", "香港", "现代物流"),
    ("启明生物医药股份有限公司", Kind.PRIVATE, ("科技型", "品牌型"), "江苏省", "南京市", "生物医药"),
    ("太平洋海工装备集团", Kind.GLOBAL, ("龙头型",), "", "新加坡", "海工装备"),
    ("长三角文旅发展有限公司", Kind.PRIVATE, ("品牌型",), "上海市", "上海市", "文化旅游"),
    ("国投绿色农业发展公司", Kind.CENTRAL, ("基地型",), "北京市", "北京市", "现代农业"),
]
INDUSTRIES = ["船舶海工", "邮轮配套", "高端装备", "新材料", "新能源", "现代物流", "生物医药", "文化旅游", "现代农业"]
REGIONS = ["上海", "江苏苏州", "江苏南京", "浙江宁波", "广东深圳", "北京", "香港", "新加坡", "德国", "日本",
           "江苏无锡", "浙江杭州", "广东广州", "山东青岛", "湖北武汉", "四川成都", "福建厦门", "辽宁大连"]
PROJECTS = ["生产基地", "研发中心", "配套产业园", "总部项目", "扩产项目", "智能工厂", "供应链中心", "示范园"]
AMOUNTS = ["5000万元", "2.5亿元", "约五千万", "3000万美元", "1.2亿元", "8000万元", "约3亿元", "2亿元",
           "1500万欧元", "6亿元", "", "4500万元"]
# How many leads stand in each stage (sums to 100).
SPREAD = {Stage.INFO: 30, Stage.CONTACT: 22, Stage.VISIT: 16, Stage.NEGOTIATE: 14, Stage.SIGNED: 8,
          Stage.TERMINATED: 10}
TERMINATION_REASONS = ["企业投资计划调整，暂缓对外投资", "选址倾向其他园区", "用地指标无法满足", "环评要求难以达到"]
FOLLOW_UP_TEXT = {
    FollowUp.Kind.VISIT_OUT: "赴企业总部拜访，介绍园区产业政策和要素保障。",
    FollowUp.Kind.VISIT_IN: "企业负责人来园区座谈，了解配套和用地情况。",
    FollowUp.Kind.CALL: "电话沟通项目进展，企业正在内部论证。",
    FollowUp.Kind.INSPECTION: "陪同企业实地考察拟选地块和周边配套。",
}


def clear_demo() -> int:
    """Delete demo leads (events and follow-ups go with them) and companies, and their history."""
    leads = list(Lead.objects.filter(is_demo=True).values_list("pk", flat=True))
    follow_ups = list(FollowUp.objects.filter(lead__in=leads).values_list("pk", flat=True))
    companies = list(TargetCompany.objects.filter(is_demo=True).values_list("pk", flat=True))
    for model, ids in [(FollowUp, follow_ups), (Lead, leads), (TargetCompany, companies)]:
        forget_history(model, ids)
    Lead.objects.filter(pk__in=leads).delete()
    TargetCompany.objects.filter(pk__in=companies).delete()
    return len(leads)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@transaction.atomic
def build_demo(*, today: dt.date) -> dict[str, int]:
    clear_demo()
    rng = random.Random(11)  # the same demo every time
    tags = {t.name: t for t in CompanyTag.objects.all()}
    # The 豪华邮轮 chain's nodes: companies and leads sit on them, so a gap has its call list.
    nodes = list(ChainNode.objects.filter(is_demo=True, chain__name="豪华邮轮", parent__isnull=False).order_by("path"))
    companies = [
        services.company_create(actor=None, is_demo=True, data={
            "name": name, "kind": kind, "tags": [tags[t] for t in tag_names if t in tags], "hq_province": province,
            "hq_city": city, "industry": industry, "significance": f"{industry}领域重点企业，可带动上下游配套落户。",
            "chain_node": nodes[(i * 7) % len(nodes)] if nodes and i % 3 != 2 else None,
        })
        for i, (name, kind, tag_names, province, city, industry) in enumerate(COMPANIES)
    ]
    owner = first_holder("investment.edit_leads", is_demo=True, unit__name="招商局")
    units = list(OrgUnit.objects.filter(is_demo=True, name__in=["招商局", "经济发展局", "三和片区", "江心沙片区"]))
    main = next((u for u in units if u.name == "招商局"), None) or (units[0] if units else None)
    if main is None:
        return {}
    modes = list(AttractionMode.objects.filter(active=True))
    n = 0
    for stage, count in SPREAD.items():
        for _i in range(count):
            n += 1
            company = rng.choice(companies) if rng.random() < 0.6 else None
            unit = main if rng.random() < 0.7 else rng.choice(units)
            industry = company.industry if company else rng.choice(INDUSTRIES)
            investor = company.name if company else f"{rng.choice(REGIONS)}{rng.choice(['远航', '恒信', '瑞丰', '海晟', '启航'])}投资有限公司"
            started = today - dt.timedelta(days=rng.randint(40, 300))
            province, city = split_region(rng.choice(REGIONS))
            node = (company.chain_node if company else None) or (
                rng.choice(nodes) if nodes and rng.random() < 0.3 else None)
            lead = services.lead_create(actor=None, is_demo=True, data={
                "name": f"{industry}{rng.choice(PROJECTS)}（{n:03d}）", "investor": investor, "company": company,
                "industry": industry, "amount_text": AMOUNTS[n % len(AMOUNTS)],
                "mode": rng.choice(modes) if modes else None, "source_province": province, "source_city": city,
                "chain_node": node,
                "unit": unit, "owner": owner if unit == main else None,
            })
            Lead.objects.filter(pk=lead.pk).update(created_at=_at(started))
            steps = PIPELINE.index(stage) if stage in PIPELINE else rng.randint(0, 3)
            span = max((today - started).days - 5, steps + 1)
            days = sorted(rng.sample(range(1, span), steps)) if steps else []
            for step, offset in zip(PIPELINE[1:steps + 1], days, strict=True):
                lead = services.lead_transition(actor=None, lead=lead, action=services.STEP_INTO[step],
                                                at=_at(started + dt.timedelta(days=offset)))
            if stage == Stage.TERMINATED:
                lead = services.lead_transition(actor=None, lead=lead, action=LeadEvent.Action.TERMINATE,
                                                comment=rng.choice(TERMINATION_REASONS),
                                                at=_at(today - dt.timedelta(days=rng.randint(1, 30))))
            for k in range(rng.randint(1, 3)):
                kind = rng.choice(list(FollowUp.Kind))
                services.follow_up_create(actor=None, lead=lead, data={
                    "kind": kind, "date": min(today, started + dt.timedelta(days=10 + 25 * k)),
                    "people": "王磊、招商局项目组", "content": FOLLOW_UP_TEXT[kind],
                    "next_step": "" if stage in (Stage.SIGNED, Stage.TERMINATED) else "约企业高层再次面谈",
                    "next_date": today + dt.timedelta(days=rng.randint(-5, 30)),
                })
    return {"companies": len(companies), "leads": n}
