"""Demo clean-up cases for `yuanqu demo`: the shipped criteria evaluated over the demo enterprises, a
few dozen candidates confirmed or dismissed with reasons, disposals in every state with dated steps
(some late), and land released — on a parcel where the enterprise holds one, so the land register's
盘活 figure grows with it. Everything through the services, dated on the day it happened, marked is_demo.

The demo register's figures are healthy firms; so that there is something to clean up, some small
firms get corrected figures (a second version from the statistics and tax offices): two years of
losses, no tax paid, next to no electricity. The 安监与环保 unit's demo reporter gets the 生态环境
role, the 经发局's the 经发局企业管理员 role (as the visits demo gives it), so the demo shows who does what."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from yuanqu.core.models import insert_many
from yuanqu.core.services import forget_history
from yuanqu.enterprises.abilities import ECONOMY
from yuanqu.enterprises.models import Enterprise, EnterpriseFigure, FigureSource, Indicator
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import criteria, selectors, services
from .abilities import ENVIRONMENT
from .models import Case, CaseStep, Category, Method

ZOMBIES = 26  # small firms given loss-making corrected figures
STEPS = {
    Method.MERGE: ["清产核资", "职工安置方案", "签订兼并协议", "资产和债务移交"],
    Method.BANKRUPTCY: ["清产核资", "申请破产", "职工安置", "资产处置"],
    Method.CLOSE: ["下达关停通知", "断水断电", "设备拆除", "现场复核"],
    Method.RECTIFY: ["下达整改通知", "治污设施改造", "环评手续补办", "验收销号"],
}
ZOMBIE_METHODS = [Method.MERGE, Method.BANKRUPTCY, Method.CLOSE]
SCATTERED_METHODS = [Method.RECTIFY, Method.RECTIFY, Method.CLOSE]
HANDLING_UNITS = ["招商局", "建设局", "三和片区", "江心沙片区", "经济发展局", "安全生产监督管理和环境保护局"]


def clear_demo() -> None:
    ids = list(Case.objects.filter(is_demo=True).values_list("pk", flat=True))
    steps = list(CaseStep.objects.filter(case__in=ids).values_list("pk", flat=True))
    Case.objects.filter(pk__in=ids).delete()  # steps and events go with them
    for model, pks in ((Case, ids), (CaseStep, steps)):
        forget_history(model, pks)


def _clerk(unit_name: str, role: str):
    return org_services.demo_clerk(OrgUnit.objects.filter(is_demo=True, name=unit_name).first(), role)


def _troubled_figures(rng: random.Random, today: dt.date) -> list[Enterprise]:
    """Corrected figures for a few small firms (and some holding parcels, so land can be released)."""
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=["value_added", "tax_paid", "electricity"])}
    source = FigureSource.objects.filter(name="统计").first() or FigureSource.objects.first()
    if len(indicators) < 3 or source is None:
        return []
    pool = list(Enterprise.objects.filter(is_demo=True, registered_on__year__lt=today.year - 3)
                .annotate(n=Count("parcels")).order_by("pk"))
    holders = [e for e in pool if e.n and e.land_mu]
    small = [e for e in pool if not e.n and not e.above_scale_since]
    chosen = rng.sample(holders, k=min(8, len(holders))) + rng.sample(small, k=min(ZOMBIES - 8, len(small)))
    years = (today.year - 2, today.year - 1)
    current = {(e, y, i): v for e, y, i, v in EnterpriseFigure.objects.filter(
        enterprise__in=chosen, year__in=years, indicator__in=indicators.values())
        .values_list("enterprise", "year", "indicator").annotate(v=Max("version")).order_by()}
    rows = []
    for n, enterprise in enumerate(chosen):
        for year in years:
            values = {"value_added": Decimal(-rng.randint(20, 400))}
            if n % 3 == 0:
                values["tax_paid"] = Decimal(0)
            if n % 4 == 1 and year == years[-1]:
                values["electricity"] = Decimal("0.4")
            for key, value in values.items():
                indicator = indicators[key]
                version = current.get((enterprise.pk, year, indicator.pk), 0) + 1  # the office's correction
                rows.append(EnterpriseFigure(enterprise=enterprise, year=year, indicator=indicator, value=value,
                                             source=source, version=version, is_demo=True,
                                             created_at=timezone.make_aware(dt.datetime.combine(
                                                 min(dt.date(year + 1, 5, 20), today), dt.time(9)))))
    insert_many(rows)
    return chosen


def _dates(rng: random.Random, start: dt.date, count: int) -> list[dt.date]:
    out, day = [], start
    for _ in range(count):
        day += dt.timedelta(days=rng.randint(20, 45))
        out.append(day)
    return out


def _dispose(rng: random.Random, case: Case, actor, units: list[OrgUnit], today: dt.date, n: int) -> None:
    """Method, unit, land, steps and progress: done, disposing with late steps, or just confirmed."""
    methods = ZOMBIE_METHODS if case.category == Category.ZOMBIE else SCATTERED_METHODS
    method = methods[n % len(methods)]
    data = {"method": method, "unit": units[n % len(units)]}
    parcel = case.enterprise.parcels.order_by("code").first()
    if method != Method.RECTIFY and case.enterprise.land_mu:
        area = min(case.enterprise.land_mu, parcel.area_mu if parcel else case.enterprise.land_mu)
        data["land_released_mu"] = (area * Decimal(rng.uniform(0.5, 1))).quantize(Decimal("0.01"))
        if parcel:
            data["parcel"] = parcel
    case = services.case_update(actor=actor, case=case, data=data)
    if n % 5 == 4:
        return  # confirmed, disposal not yet started
    planned = _dates(rng, case.decided_on, len(STEPS[method]))
    steps = [services.step_add(actor=actor, case=case, data={"title": t, "planned_on": d}, today=today)
             for t, d in zip(STEPS[method], planned, strict=True)]
    case = services.case_step(actor=actor, case=case, action="start", today=case.decided_on)
    finished = n % 5 in (0, 1)  # about two in five are disposed
    for step in steps:
        done = step.planned_on + dt.timedelta(days=rng.randint(-10, 12))
        if done > today or (not finished and rng.random() < 0.35):
            break  # the rest are open (late ones red once past their date)
        services.step_update(actor=actor, step=step, data={"done_on": max(done, case.decided_on)}, today=today)
    if finished and all(s.done_on for s in case.steps.all()):
        last = max(s.done_on for s in case.steps.all())
        services.case_step(actor=actor, case=case, action="complete", today=min(today, last + dt.timedelta(days=7)),
                           completed_on=min(today, last + dt.timedelta(days=7)), comment="处置完成，已销号")


def build_demo(*, today: dt.date) -> None:
    rng = random.Random(20261204)
    economy = _clerk("经济发展局", ECONOMY)
    environment = _clerk("安全生产监督管理和环境保护局", ENVIRONMENT)
    _troubled_figures(rng, today)
    year = today.year - 1
    rule_list = selectors.rules()
    enterprises = list(Enterprise.objects.filter(is_demo=True).order_by("pk"))
    found = criteria.evaluate(rule_list, selectors.facts_for(enterprises, rule_list, year), year)
    units = [u for name in HANDLING_UNITS for u in OrgUnit.objects.filter(is_demo=True, name=name)[:1]]
    if not units:
        return
    by_category = {c: [f for f in found if f.category == c] for c in Category.values}
    start = dt.date(today.year, 1, 10)
    for category, actor, keep, dismissals in ((Category.ZOMBIE, economy, 24, 4),
                                              (Category.SCATTERED, environment, 16, 8)):
        chosen = by_category[category][:keep]
        for n, candidate in enumerate(chosen):
            decided = min(today, start + dt.timedelta(days=rng.randint(0, 120)))
            dismiss = n >= len(chosen) - dismissals
            reason = (("已扭亏为盈，订单恢复" if category == Category.ZOMBIE else "排污许可齐全，监测达标排放")
                      if dismiss else ("资不抵债，长期停产" if category == Category.ZOMBIE else "无证排污，设施简陋"))
            case = services.case_decide(actor=actor, enterprise=candidate.enterprise_id, category=category,
                                        decision="dismiss" if dismiss else "confirm", reason=reason, year=year,
                                        is_demo=True, today=decided)
            if not dismiss:
                _dispose(rng, case, actor, units, today, n)
