"""Demo 重大项目 for `yuanqu demo`: about forty projects in every stage — among them the seed's named
ones (超200亿元的豪华邮轮项目、皓晶高端玻璃、嘉浩智能供应链、佳禾食品) — some late, with monthly returns
and a few problems, one raised to a 督办单; a few come from the demo's signed leads. Built through
the services (so timelines and history are the real ones), relative to `today`. Rows are marked
is_demo; `clear_demo()` removes them before the plans demo removes its units and users."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.chains.models import ChainNode
from yuanqu.core import clock
from yuanqu.core.models import insert_many
from yuanqu.core.services import forget_history
from yuanqu.investment.models import Lead
from yuanqu.investment.models import Stage as LeadStage
from yuanqu.land.models import Parcel
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import first_holder

from . import services
from .models import GATES, ORDER, Level, MonthlyReturn, Problem, ProblemCategory, Project, Stage, StageStep

# The seed's named projects (section 一): name, investor, industry, chain node word, 亿元, gate reached —
# as the plans demo's ledger tells it (皓晶 and 嘉浩 started, the cruise project about to, 佳禾 waiting).
NAMED = [
    ("豪华邮轮项目", "某邮轮制造集团", "豪华邮轮", "邮轮", Decimal("218"), Stage.LAND, Level.PROVINCIAL),
    ("皓晶高端玻璃项目", "皓晶玻璃科技有限公司", "新材料", "玻璃", Decimal("12.6"), Stage.STARTED, Level.CITY),
    ("嘉浩智能供应链项目", "嘉浩供应链管理有限公司", "现代物流", "物流", Decimal("11.2"), Stage.STARTED, Level.CITY),
    ("佳禾食品项目", "佳禾食品工业有限公司", "食品加工", "", Decimal("10.5"), Stage.REGISTERED, Level.CITY),
]
INDUSTRIES = ["智能制造", "汽车配件", "现代建筑", "邮轮配套", "新材料", "新能源", "生物医药", "现代物流"]
KINDS = ["生产基地", "智能工厂", "研发中心", "产业园", "扩产项目", "总部项目"]
INVESTORS = ["远航实业", "恒信控股", "瑞丰集团", "海晟科技", "启航投资", "东方精工", "华鼎建设", "金桥汽车"]
# How many generic projects stand at each state (plus the named and the converted ones).
SPREAD = {Stage.PLANNED: 4, Stage.SIGNED: 6, Stage.REGISTERED: 5, Stage.LAND: 5, Stage.STARTED: 7,
          Stage.COMPLETED: 4, Stage.PRODUCING: 4}
PROGRESS = ["场地平整完成，桩基施工中", "主体结构施工至三层", "主体结构封顶，开始内部装修", "设备进场安装调试",
            "厂房钢结构吊装完成", "室外配套管网施工"]


def clear_demo() -> int:
    projects = list(Project.objects.filter(is_demo=True).values_list("pk", flat=True))
    children = {
        StageStep: StageStep.objects.filter(project__in=projects),
        MonthlyReturn: MonthlyReturn.objects.filter(project__in=projects),
        Problem: Problem.objects.filter(project__in=projects),
    }
    for model, qs in children.items():
        forget_history(model, list(qs.values_list("pk", flat=True)))
    forget_history(Project, projects)
    Project.objects.filter(pk__in=projects).delete()
    return len(projects)


def _gap(stage: str, rng: random.Random) -> dt.timedelta:
    """Time from a gate to the next: building (开工 → 竣工) takes over a year, the others months."""
    return dt.timedelta(days=rng.randint(400, 700) if stage == Stage.STARTED else rng.randint(45, 120))


def _plan(reached: int, base: dt.date, rng: random.Random, late: bool) -> dict[str, dt.date]:
    """Planned dates: the `reached` gates before `base`, the next one 20 days overdue when `late`,
    the rest ahead."""
    gaps = [_gap(s, rng) for s in GATES]
    day = base - dt.timedelta(days=30) - sum(gaps[:reached], dt.timedelta())
    plan = {}
    for i, stage in enumerate(GATES):
        if i == reached:
            day = base - dt.timedelta(days=20) if late else base + dt.timedelta(days=rng.randint(20, 120))
        plan[stage] = day
        day += gaps[i]
    return plan


def _walk(project: Project, target: str, plan: dict, base: dt.date, rng: random.Random) -> Project:
    """Reach each gate up to `target`, a little before or after its planned date, never after `base`."""
    last = None
    for stage in GATES[:GATES.index(target) + 1] if target in GATES else []:
        day = plan[stage] + dt.timedelta(days=rng.randint(-10, 10))
        day = min(max(day, last or day), base)
        project = services.stage_reach(actor=None, project=project, stage=stage, actual_on=day)
        last = day
    return project


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def _returns(project: Project, since: dt.date, base: dt.date, rng: random.Random, skip_last: bool) -> None:
    """Monthly returns from the month after signing up to last month (the last one missing: late)."""
    month = (since.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (base.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    months = months[-8:]  # the recent ones are enough to look real
    if skip_last and months:
        months = months[:-1]
    total = Decimal(0)
    for m in months:
        amount = (project.total_investment * Decimal(rng.randint(8, 30)) / Decimal(1000)).quantize(Decimal("0.01"))
        total += amount
        report = services.return_submit(actor=None, project=project, is_demo=True, data={
            "month": m, "completed_month": amount, "completed_total": total, "progress": rng.choice(PROGRESS)})
        filed = min((m + dt.timedelta(days=40)).replace(day=rng.randint(3, 9)), base)
        MonthlyReturn.objects.filter(pk=report.pk).update(submitted_at=_at(filed))


@transaction.atomic
def build_demo(*, today: dt.date) -> dict[str, int]:
    clear_demo()
    rng = random.Random(12)  # the same demo every time
    base = min(today, clock.today())  # actual dates are never after the platform's today
    units = {u.name: u for u in OrgUnit.objects.filter(is_demo=True, name__in=["招商局", "经济发展局", "建设局",
                                                                                  "三和片区", "江心沙片区"])}
    main = units.get("招商局") or next(iter(units.values()), None)
    if main is None:
        return {}
    others = [u for u in units.values() if u != main] or [main]
    leader = first_holder("projects.read_all", is_demo=True, role_assignments__role="leader")
    nodes = list(ChainNode.objects.filter(chain__is_demo=True).select_related("chain"))
    parcels = list(Parcel.objects.filter(is_demo=True).order_by("code"))
    # 佳禾 is registered but has no land, 20 days past the planned 供地: it shows red (its 用地 problem is raised).
    specs = [(name, investor, industry, word, amount, stage, level, name.startswith("佳禾"))
             for name, investor, industry, word, amount, stage, level in NAMED]
    n = 0
    for stage, count in SPREAD.items():
        for _i in range(count):
            n += 1
            industry = rng.choice(INDUSTRIES)
            amount = Decimal(rng.choice([3, 5, 8, 12, 15, 20, 30, 55, 60, 110])) + Decimal(rng.randint(0, 9)) / 10
            level = Level.PROVINCIAL if amount >= 100 else (Level.CITY if amount >= 20 else Level.DISTRICT)
            specs.append((f"{industry}{rng.choice(KINDS)}（{n:02d}）", f"{rng.choice(INVESTORS)}有限公司", industry,
                          industry[:2], amount, stage, level, n % 3 == 0))
    projects = []
    for i, (name, investor, industry, word, amount, stage, level, late) in enumerate(specs):
        reached = ORDER.index(stage)  # how many gates it passed
        plan = _plan(reached, base, rng, late and stage != Stage.PRODUCING)
        node = next((nd for nd in nodes if word and word in nd.name), None)
        project = services.project_create(actor=None, is_demo=True, planned=plan, data={
            "name": name, "investor": investor, "industry": industry, "chain_node": node,
            "total_investment": amount, "fixed_investment": (amount * Decimal("0.8")).quantize(Decimal("0.01")),
            "level": level, "lead_unit": main if i % 3 else rng.choice(others), "leader": leader,
            "parcel": parcels[i] if i < len(parcels) and reached >= ORDER.index(Stage.LAND) else None,
        })
        project = _walk(project, stage, plan, base, rng)
        if stage in (Stage.SIGNED, Stage.REGISTERED, Stage.LAND, Stage.STARTED, Stage.COMPLETED):
            signed = StageStep.objects.get(project=project, stage=Stage.SIGNED).actual_on
            _returns(project, signed, base, rng, skip_last=late)
        projects.append(project)
    converted = _convert_leads(base)
    _problems(projects, units, base)
    return {"projects": len(projects) + converted}


def _convert_leads(base: dt.date) -> int:
    """Half the demo's signed leads became projects (a lead converts once)."""
    signed = list(Lead.objects.filter(is_demo=True, stage=LeadStage.SIGNED, currency="CNY",
                                      amount__isnull=False).order_by("pk"))
    done = 0
    for lead in signed[: max(1, len(signed) // 2)]:
        services.convert_lead(actor=None, lead=lead, planned={
            Stage.REGISTERED: base + dt.timedelta(days=30), Stage.LAND: base + dt.timedelta(days=90),
            Stage.STARTED: base + dt.timedelta(days=180)})
        done += 1
    return done


def _problems(projects: list[Project], units: dict, base: dt.date) -> None:
    categories = {c.name: c for c in ProblemCategory.objects.all()}
    if not projects or not categories:
        return
    by_name = {p.name: p for p in projects}
    first = next(iter(categories.values()))
    jiahe = by_name.get("佳禾食品项目", projects[0])
    land = services.problem_create(actor=None, project=jiahe, is_demo=True, data={
        "category": categories.get("用地", first), "description": "新增建设用地指标尚未落实，影响供地和开工计划。",
        "assigned_unit": units.get("建设局") or jiahe.lead_unit})
    services.problem_raise(actor=None, problem=land, data={
        # supervision checks the deadline against the platform's today, which may be after the demo's
        "deadline": max(base, clock.today()) + dt.timedelta(days=20),
        "requirement": "请协调落实新增建设用地指标，月底前明确供地时间。"})
    cruise = by_name.get("豪华邮轮项目", projects[0])
    services.problem_create(actor=None, project=cruise, is_demo=True, data={
        "category": categories.get("配套", first), "description": "码头配套供电线路需提前改造。",
        "assigned_unit": cruise.lead_unit})
    jiahao = by_name.get("嘉浩智能供应链项目", projects[0])
    solved = services.problem_create(actor=None, project=jiahao, is_demo=True, data={
        "category": categories.get("审批", first), "description": "环评批复时间较长。", "assigned_unit": jiahao.lead_unit})
    services.problem_solve(actor=None, problem=solved, solution="经协调已取得环评批复。")


def grow(*, today: dt.date, count: int, chunk: int = 1000) -> int:
    """The large demo's projects on top of the demo's: `count` more, spread over the stages and the
    demo's units, each with its six gates (planned dates, and actual ones up to its stage), written
    in bulk (no timeline events or monthly returns: the lists read the projects and gates only)."""
    rng = random.Random(20261205)
    units = list(OrgUnit.objects.filter(is_demo=True, is_active=True,
                                        kind__in=[OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.AREA]).order_by("pk"))
    if not units:
        return 0
    leader = first_holder("projects.read_all", is_demo=True, role_assignments__role="leader")
    base = min(today, clock.today())
    stages = list(SPREAD)
    weights = list(SPREAD.values())
    done = 0
    while done < count:
        projects, gates = [], []
        for n in range(done, min(done + chunk, count)):
            industry = rng.choice(INDUSTRIES)
            amount = Decimal(rng.choice([1, 2, 3, 5, 8, 12, 15, 20, 30, 55])) + Decimal(rng.randint(0, 9)) / 10
            stage = rng.choices(stages, weights)[0]
            plan = _plan(ORDER.index(stage), base, rng, late=rng.random() < 0.2 and stage != Stage.PRODUCING)
            projects.append(Project(
                name=f"{industry}{rng.choice(KINDS)}（L{n + 1:05d}）", investor=f"{rng.choice(INVESTORS)}有限公司",
                industry=industry, total_investment=amount, fixed_investment=(amount * Decimal("0.8")).quantize(
                    Decimal("0.01")), level=Level.CITY if amount >= 20 else Level.DISTRICT,
                lead_unit=rng.choice(units), leader=leader, stage=stage, is_demo=True))
            gates.append(plan)
        with transaction.atomic():
            insert_many(projects, ids=True)
            insert_many(StageStep(project=p, stage=s, planned_on=plan[s],
                                  actual_on=min(plan[s], base) if ORDER.index(s) <= ORDER.index(p.stage) else None)
                        for p, plan in zip(projects, gates, strict=True) for s in GATES)
        done += len(projects)
    return done

