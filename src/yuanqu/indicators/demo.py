"""Demo indicators for `yuanqu demo`: the seed's rural indicators (section 六) as definitions, with
counts for every village and community of the demo tree for last year and this year, entered
through the services by the owner unit's reporter and marked is_demo.

The counts are invented but plausible (a village of a few thousand people); they are chosen so that
the zone's rates land near the plan's targets — some above, some below — and one community has no
居家养老服务站 yet (a zero denominator, shown “—”). Last year's 参保率 was counted under an earlier
caliber (户籍人口), so the indicator page shows two versions and an old value explained by the first.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import first_holder

from . import services
from .models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition, IndicatorVersion

# code, name, owner unit, unit, formula, variables, multiplier, caliber, level
DEFINITIONS = [
    ("farmer_certified", "持证农民比例", "农业农村局", "%", "ratio", ["持证农民数", "从业农民数"], 100,
     "取得新型职业农民证书或职业技能等级证书的本村从业农民人数 ÷ 本村从事农业生产经营的农民人数（年末数）。", "zone"),
    ("insured_rate", "参保率", "社会事业局", "%", "ratio", ["参保人数", "应参保人数"], 100,
     "参加城乡居民或职工基本养老保险的常住人口 ÷ 应参保的常住人口（16周岁以上，不含在校学生）。", "zone"),
    ("elderly_station_rate", "居家养老服务站标准化建成率", "社会事业局", "%", "ratio",
     ["达标服务站数", "服务站总数"], 100,
     "按省标准验收达标的居家养老服务站数 ÷ 已建居家养老服务站总数。", "zone"),
    ("harmony_community_rate", "和谐社区建设达标率", "社会事业局", "%", "ratio",
     ["达标村（居）民小组数", "村（居）民小组总数"], 100,
     "经考评达到和谐社区建设标准的村（居）民小组数 ÷ 村（居）民小组总数。", "zone"),
    ("greening_rate", "绿化覆盖率", "农业农村局", "%", "ratio", ["绿化覆盖面积（亩）", "土地面积（亩）"], 100,
     "乔木、灌木和草地的垂直投影面积 ÷ 村（社区）土地总面积，按年末遥感核定数。", "zone"),
    ("weak_village_income", "经济薄弱村经营收入", "农业农村局", "万元", "sum",
     ["经营性收入（万元）", "资产资源发包收入（万元）"], 1,
     "村集体当年经营性收入与资产资源发包收入之和，以农经报表为准（按村发布，不汇总）。", "village"),
]
OLD_INSURED_CALIBER = "参加基本养老保险的户籍人口 ÷ 应参保的户籍人口。"


def _counts(code: str, n: int, this_year: bool, community: bool) -> list[int]:
    """Plausible counts for the n-th counting unit; this year's a little better than last year's."""
    size = 1800 + (n * 397) % 1700  # people of working age
    step = 1 if this_year else 0
    if code == "farmer_certified":
        farmers = size // 4
        return [farmers * (44 + (n * 7) % 12 + 3 * step) // 100, farmers]
    if code == "insured_rate":
        return [size - (n % 4) * 9 - (0 if this_year else 25), size]
    if code == "elderly_station_rate":
        stations = 0 if community and n % 2 else 2 + n % 3
        return [min(stations, n % 2 + (1 if n % 3 == 0 else 0) + step), stations]
    if code == "harmony_community_rate":
        groups = 12 + n % 9
        return [groups - (1 if n % 3 == 0 else 0) - (1 - step), groups]
    if code == "greening_rate":
        land = 3000 + (n * 211) % 2500
        return [land * (26 + (n * 5) % 9 + 2 * step) // 100, land]
    return [30 + (n * 13) % 40 + 8 * step, 5 + (n * 3) % 10]  # 经营收入 (万元)


def clear_demo() -> None:
    counts = list(IndicatorCount.objects.filter(is_demo=True).values_list("pk", flat=True))
    defs = list(IndicatorDefinition.objects.filter(is_demo=True).values_list("pk", flat=True))
    IndicatorCount.objects.filter(pk__in=counts).delete()
    IndicatorDefinition.objects.filter(pk__in=defs).update(current_version=None)
    IndicatorVersion.objects.filter(definition__in=defs).delete()
    IndicatorDefinition.objects.filter(pk__in=defs).delete()
    for model, ids in ((IndicatorCount, counts), (IndicatorDefinition, defs)):
        forget_history(model, ids)


def build_demo(*, today: dt.date) -> None:
    units = {u.name: u for u in OrgUnit.objects.filter(is_demo=True)}
    villages = [u for u in OrgUnit.objects.filter(is_demo=True, kind__in=COUNTING_KINDS).order_by("path")]
    if not villages:
        return
    admin = first_holder("indicators.manage")
    fallback = next(iter(units.values()))
    for order, (code, name, owner, unit, formula, variables, multiplier, caliber, level) in enumerate(DEFINITIONS):
        owner_unit = units.get(owner, fallback)
        keeper = first_holder("indicators.define", role_assignments__unit=owner_unit) or admin
        first_caliber = OLD_INSURED_CALIBER if code == "insured_rate" else caliber
        definition = services.definition_create(actor=admin, is_demo=True, data={
            "code": code, "name": name, "owner_unit": owner_unit, "period_kind": "year", "level": level,
            "order": order, "unit": unit, "formula": formula, "variables": variables, "multiplier": multiplier,
            "forbid_over": formula == "ratio", "caliber": first_caliber})
        for this_year in (False, True):
            if this_year and code == "insured_rate":
                services.definition_revise(actor=keeper, definition=definition, data={
                    "caliber": caliber, "note": "按市人社局通知改为常住人口口径", "valid_from": str(today.year)})
            entered = []
            for n, village in enumerate(villages):
                if code == "weak_village_income" and village.kind != OrgUnit.Kind.VILLAGE:
                    continue  # the income of a village collective: communities have none
                entered.append(services.count_enter(
                    actor=keeper, definition=definition, unit=village, is_demo=True,
                    period=str(today.year - (0 if this_year else 1)),
                    values=_counts(code, n, this_year, village.kind == OrgUnit.Kind.COMMUNITY)).pk)
            # Entered when such figures come in (last year's in January, this year's a fortnight
            # ago), so the metric, which reads the counts entered by a date, sees them on the demo's today.
            when = dt.date(today.year, 1, 20) if not this_year else max(today - dt.timedelta(days=14),
                                                                         dt.date(today.year, 1, 21))
            IndicatorCount.objects.filter(pk__in=entered).update(
                entered_at=timezone.make_aware(dt.datetime.combine(when, dt.time(10))))
