"""The assessment part of `yuanqu demo`: this year's scheme (共性 20 / 个性 80), hand scores of the
common indicators, two approved bonuses and one pending, one veto, and a signed-off run.

Called by the plans demo once the demo units, users, plan and reports exist (and after the
supervision demo, so the run counts its 催办 and overdue items). Everything goes through the
services, as a person would do it; rows hang off a scheme marked is_demo.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from yuanqu.core.errors import ApplicationError
from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import assignments_holding, first_holder
from yuanqu.plans.models import Plan, Target

from . import services
from .models import BonusItem, CommonScore, Run, Scheme, SchemeGroup, Veto

COMMON_INDICATORS = ["12345热线办理", "政务公开与依法行政"]
# (unit name, points, reason, evidence, approved?) — tried in order; units without targets are skipped.
BONUSES = [
    ("招商局", "2", "获评全省开发区招商引资工作先进集体", "省商务厅表彰通报（苏商开〔{year}〕18号）", True),
    ("行政审批局", "1.5", "“不见面审批”改革经验获省政府办公厅通报表扬", "省政府办公厅督查通报第6期", True),
    ("农业农村局", "1", "三南村获评省级水美乡村", "省水利厅公示名单（{year}年第二批）", False),
]
VETO_UNIT = "建设局"
VETO_REASON = "辖区在建工地发生一起较大生产安全责任事故，经应急管理部门认定负有监管责任，按方案实行一票否决"


class DemoError(ApplicationError):
    pass


def clear_demo() -> int:
    """Delete demo schemes and everything under them (runs first: they protect their scheme)."""
    schemes = list(
        Scheme.objects.filter(
            Q(is_demo=True) | Q(runs__results__unit__is_demo=True) | Q(bonuses__unit__is_demo=True)
            | Q(vetoes__unit__is_demo=True) | Q(groups__common_scores__unit__is_demo=True)
        ).distinct().values_list("pk", flat=True)
    )
    if not schemes:
        return 0
    ids = {
        Run: list(Run.objects.filter(scheme__in=schemes).values_list("pk", flat=True)),
        SchemeGroup: list(SchemeGroup.objects.filter(scheme__in=schemes).values_list("pk", flat=True)),
        CommonScore: list(CommonScore.objects.filter(group__scheme__in=schemes).values_list("pk", flat=True)),
        BonusItem: list(BonusItem.objects.filter(scheme__in=schemes).values_list("pk", flat=True)),
        Veto: list(Veto.objects.filter(scheme__in=schemes).values_list("pk", flat=True)),
        Scheme: schemes,
    }
    Run.objects.filter(scheme__in=schemes).delete()
    Scheme.objects.filter(pk__in=schemes).delete()
    for model, pks in ids.items():
        if pks:
            forget_history(model, pks)
    return len(schemes)


def _demo_year(today: dt.date) -> int:
    plan = Plan.objects.filter(is_demo=True, status=Plan.Status.ACTIVE).order_by("-year", "-pk").first()
    return plan.year if plan else today.year


def build_demo(*, today: dt.date, year: int | None = None) -> Run:
    """Build the demo assessment of `year` (default: the demo plan's year) as of `today`."""
    year = year or _demo_year(today)
    clear_demo()
    supervisor = first_holder("supervision.oversee", is_demo=True)
    if supervisor is None:
        raise DemoError("没有演示用的督查室账号，请先生成演示单位和用户。")
    lead_ids = set(
        Target.objects.alive().filter(plan__year=year, plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED],
                                      lead_unit__is_demo=True).values_list("lead_unit_id", flat=True)
    )
    units = list(OrgUnit.objects.filter(pk__in=lead_ids))
    if not units:
        raise DemoError(f"{year}年的演示计划中没有由演示单位牵头的目标。")
    by_name = {u.name: u for u in units}

    data = services.default_scheme_data(year)
    data["name"] = f"{year}年度目标管理绩效考核方案（演示）"
    # The demo is computed part-way through the year: score milestones by reported progress.
    data["milestone_mode"] = Scheme.MilestoneMode.PERCENT
    scheme = services.scheme_save(actor=supervisor, data=data, is_demo=True)
    scheme = services.scheme_activate(actor=supervisor, scheme=scheme)

    common = scheme.groups.get(kind=SchemeGroup.Kind.COMMON)
    for i, unit in enumerate(units):
        for j, name in enumerate(COMMON_INDICATORS):
            score = 78 + (i * 7 + j * 11) % 21  # 78–98, spread but fixed
            services.common_score_save(actor=supervisor, group=common, unit=unit, name=name, score=score,
                                       note="牵头部门年度评分")

    reporters = {
        a.unit_id: a.user
        for a in assignments_holding("assessment.propose_bonus").filter(user__is_demo=True, unit__in=units)
        .select_related("user").order_by("pk")
    }
    spare = iter(u for u in units if u.name not in {b[0] for b in BONUSES} | {VETO_UNIT})
    for name, points, reason, evidence, approved in BONUSES:
        unit = by_name.get(name) or next(spare, None)
        if unit is None:
            continue
        proposer = reporters.get(unit.pk, supervisor)
        bonus = services.bonus_propose(actor=proposer, scheme=scheme, unit=unit, points=points, reason=reason,
                                       evidence=evidence.format(year=year))
        if approved:
            services.bonus_decide(actor=supervisor, bonus=bonus, approve=True, note="材料属实，同意加分")

    veto_unit = by_name.get(VETO_UNIT) or units[-1]
    services.veto_set(actor=supervisor, scheme=scheme, unit=veto_unit, reason=VETO_REASON)

    run = services.run_compute(actor=supervisor, scheme=scheme, on=today)
    return services.run_sign_off(actor=supervisor, run=run)
