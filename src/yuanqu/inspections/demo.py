"""Demo inspections for `yuanqu demo`: a year of 安全生产、环境污染、城乡环境 inspections up to the
demo's today (a few hundred, most finding a hazard or two, some 重大), each hazard walked through
its steps on its own days — most rectified on time, some late, some open past the deadline, a few
failing the re-check, 重大 ones raised to a 督办单 — the closed ones revisited (回头看), a few found
back and reopened; and the seed's pollution works (十二号横河、通沙河 黑臭水体, 十个必接 雨污分流) with
their stages, some late. Everything through the services, dated on the day it happened, is_demo.
The 安监与环保局's demo reporter also becomes its 检查人员."""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.conf import settings

from yuanqu.core.services import forget_history
from yuanqu.enterprises.models import Enterprise
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import services, shipped
from .abilities import INSPECTOR
from .models import (
    ChecklistTemplate,
    Hazard,
    HazardEvent,
    Inspection,
    Revisit,
    StageEvidence,
    Work,
    WorkKind,
    WorkStage,
)

INSPECTIONS = 300  # the default of settings.YUANQU_DEMO_INSPECTIONS
BUREAU = "安全生产监督管理和环境保护局"
SITES = ["十二号横河沿岸", "通沙河沿岸", "长江路建筑工地", "农贸市场周边", "村部道路", "拆违点位", "河道口门", "小区外围"]
FINDINGS = {
    "safety": ["消防通道堆放杂物", "灭火器过期未更换", "配电箱未上锁、线路老化", "危化品仓库未设警示标识",
               "特种作业人员无证上岗", "有限空间作业未审批", "应急预案未演练"],
    "pollution": ["废水收集池渗漏", "废气处理设施未开启", "危废贮存不规范", "雨污混接", "排污口未规范设置",
                  "扬尘未覆盖"],
    "urban": ["河面漂浮物未清理", "道路两侧垃圾堆放", "违章搭建复建", "占道经营", "店招破损", "绿化带毁绿种菜"],
}
WORKS = [
    ("黑臭水体治理", "十二号横河黑臭水体整治", "三和村", 300, 90),
    ("黑臭水体治理", "通沙河黑臭水体整治", "大兴村", 240, 150),
    ("雨污分流", "“十个必接”雨污分流及截污纳管工程", None, 200, 120),
]


def clear_demo() -> None:
    works = list(Work.objects.filter(is_demo=True).values_list("pk", flat=True))
    stages = list(WorkStage.objects.filter(work__in=works).values_list("pk", flat=True))
    StageEvidence.objects.filter(stage__in=stages).delete()
    WorkStage.objects.filter(pk__in=stages).delete()
    Work.objects.filter(pk__in=works).delete()
    hazards = list(Hazard.objects.filter(is_demo=True).values_list("pk", flat=True))
    revisits = list(Revisit.objects.filter(hazard__in=hazards).values_list("pk", flat=True))
    Revisit.objects.filter(pk__in=revisits).delete()
    HazardEvent.objects.filter(hazard__in=hazards).delete()
    Hazard.objects.filter(pk__in=hazards).delete()
    inspections = list(Inspection.objects.filter(is_demo=True).values_list("pk", flat=True))
    Inspection.objects.filter(pk__in=inspections).delete()
    for model, ids in ((Work, works), (WorkStage, stages), (Revisit, revisits), (Hazard, hazards),
                       (Inspection, inspections)):
        forget_history(model, ids)


def _walk(rng: random.Random, hazard: Hazard, found_on: dt.date, today: dt.date, actor) -> None:
    """Take the hazard as far as its age and luck allow, each step on its own day."""
    day = found_on + dt.timedelta(days=rng.randint(0, 3))
    if day > today:
        return
    limit = 30 if hazard.level == "major" else rng.choice([7, 10, 15, 20])
    deadline = day + dt.timedelta(days=limit)
    services.hazard_step(actor=actor, hazard=hazard, action="notify", today=day, deadline=deadline,
                         comment="限期整改到位，整改完成后报检查单位复查")
    if hazard.level == "major" and rng.random() < 0.5:
        services.hazard_step(actor=actor, hazard=hazard, action="raise", today=day,
                             supervision_deadline=deadline + dt.timedelta(days=10), comment="重大隐患挂牌督办")
    # Most rectify within the limit, some late, a few not yet.
    took = rng.choice([3, 5, 7, 9, 12]) if rng.random() < 0.8 else rng.choice([limit + 5, limit + 15, 400])
    day = day + dt.timedelta(days=min(took, limit + 15) if took < 400 else 400)
    if day > today:
        return
    services.hazard_step(actor=None, hazard=hazard, action="report", today=day, comment="已按要求整改，附整改前后照片")
    day += dt.timedelta(days=rng.randint(1, 4))
    if day > today:
        return
    if rng.random() < 0.1:
        services.hazard_step(actor=actor, hazard=hazard, action="fail", today=day, comment="整改不彻底，仍有隐患")
        day += dt.timedelta(days=rng.randint(3, 7))
        if day > today:
            return
        services.hazard_step(actor=None, hazard=hazard, action="report", today=day, comment="已再次整改")
        day += dt.timedelta(days=2)
        if day > today:
            return
    services.hazard_step(actor=actor, hazard=hazard, action="pass", today=day, comment="复查合格")
    # 回头看 as they fall due; a few find the problem back.
    while True:
        revisit = hazard.revisits.filter(done_on__isnull=True).order_by("due_on").first()
        if revisit is None or revisit.due_on > today:
            return
        back = rng.random() < 0.08
        services.revisit_record(actor=actor, revisit=revisit, result="back" if back else "ok", today=revisit.due_on,
                                note="问题反弹，重新整改" if back else "未发现反弹")
        if back:
            return


def _works(rng: random.Random, today: dt.date, named: dict[str, OrgUnit], actor) -> None:
    kinds = {k.name: k for k in WorkKind.objects.all()}
    lead = named.get("建设局") or named.get(BUREAU)
    for kind, name, village, started_ago, left in WORKS:
        start = today - dt.timedelta(days=started_ago)
        work = services.work_create(actor=actor, is_demo=True, data={
            "kind": kinds[kind], "name": name, "lead_unit": named.get(village) or lead, "village": named.get(village),
            "started_on": start, "planned_end": today + dt.timedelta(days=left),
            "description": "以十二号横河、通沙河治理为重点，强化城乡黑臭水体整治攻坚。" if kind == "黑臭水体治理"
            else "如期完成“十个必接”雨污分流及截污纳管工程。"})
        for stage in work.stages.order_by("order"):
            if stage.planned_on > today or rng.random() < 0.3:
                break  # the rest not done yet; those past their day show red
            done = min(stage.planned_on + dt.timedelta(days=rng.randint(-10, 12)), today)
            services.stage_complete(actor=None, stage=stage, done_on=max(done, start), note="已完成，资料已归档")


def build_demo(*, today: dt.date) -> None:
    shipped.load(apps.get_model)  # a database flushed since migrating (a test's) lacks the shipped data
    named = {u.name: u for u in OrgUnit.objects.filter(is_demo=True, is_active=True)}
    bureau = named.get(BUREAU)
    villages = [u for u in named.values() if u.kind in (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)]
    if bureau is None or not villages:
        return
    inspector = org_services.demo_clerk(bureau, INSPECTOR)
    departments = [named[n] for n in ("建设局", "经济发展局", "农业农村局") if n in named] or villages
    enterprises = list(Enterprise.objects.filter(is_demo=True).order_by("pk")[:400])
    templates = {t.domain: t for t in ChecklistTemplate.objects.filter(is_active=True).order_by("pk")}
    rng = random.Random(20260913)
    start = today - dt.timedelta(days=365)
    for _ in range(settings.YUANQU_DEMO_INSPECTIONS):
        domain = rng.choices(["safety", "pollution", "urban"], weights=[45, 30, 25])[0]
        day = start + dt.timedelta(days=rng.randint(0, 365))
        village = rng.choice(villages)
        at_site = domain == "urban" or not enterprises or rng.random() < 0.2
        data = {"domain": domain, "inspected_on": day, "inspecting_unit": bureau, "inspectors": "郑刚、执法队员",
                "template": templates.get(domain), "findings": "对照检查表逐项检查。"}
        if at_site:
            data.update(site=rng.choice(SITES), village=village)
        else:
            data["enterprise"] = rng.choice(enterprises)
        inspection = services.inspection_create(actor=inspector, data=data, is_demo=True, today=today)
        for _found in range(rng.choices([0, 1, 2], weights=[25, 55, 20])[0]):
            unit = village if at_site or rng.random() < 0.5 else rng.choice(departments)
            hazard = services.hazard_create(actor=inspector, inspection=inspection, is_demo=True, data={
                "description": rng.choice(FINDINGS[domain]), "responsible_unit": unit,
                "level": "major" if rng.random() < 0.08 else "general",
                "responsible_person": rng.choice(["村主任", "企业负责人", "安全员", ""])})
            _walk(rng, hazard, day, today, inspector)
    _works(rng, today, named, inspector)
