"""Demo enterprises for `yuanqu demo`: 2,000 made-up firms with valid credit codes, three years of
figures, tags, 双挂钩 pairings and land, all marked is_demo; the chains demo puts some on nodes.

Written with bulk_create: the service path (a lock, a check and a change record per figure)
would take minutes for 50,000 figures. History stays honest where it is kept: each enterprise
gets its creation record as the service would write it, and each figure is a version with its
source, recorder time (dated when that office would have sent it, never after `today`) and
number — a few are second versions, corrections from the tax office, so the enterprise page shows
versions. Demo figures carry no change records of their own: they came from no import batch, so
there is nothing to revert, and the versions themselves are their history."""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from yuanqu.core.history import snapshot
from yuanqu.core.models import ChangeRecord, insert_many
from yuanqu.core.services import forget_history
from yuanqu.org.models import OrgUnit, RoleAssignment
from yuanqu.org.roles import LEADER

from . import gb4754
from .credit_code import ALPHABET, check_character
from .models import (
    Enterprise,
    EnterpriseFigure,
    EnterpriseTag,
    EnterpriseTagging,
    FigureSource,
    Indicator,
    IndustryDivision,
    MujunPolicy,
    MujunResult,
    MujunRun,
    MujunScheme,
)

PLACES = ["海门", "江海", "通州湾", "长江口", "三和", "东灶港", "包场", "临江", "海永", "悦来", "正余", "常乐"]
TRADES = ["船舶配套", "海工装备", "精密机械", "智能装备", "新型建材", "钢构", "汽车零部件", "电子科技",
          "新材料", "机器人", "建筑科技", "动力系统", "内装工程", "物流", "软件", "热管理", "纺织", "家纺",
          "生物医药", "食品", "包装", "环保科技", "光电", "电气"]
KINDS = ["有限公司", "股份有限公司", "科技有限公司"]
BRANDS = "华瑞通恒达盛鑫宏泰弘嘉润祥博创联"
ROADS = ["江海路", "长江路", "通海大道", "东洲路", "青海路", "黄海路", "滨江大道", "人民路"]
COUNT = 2000  # the default of settings.YUANQU_DEMO_ENTERPRISES
# Divisions weighted toward the zone's industries (manufacturing, construction, logistics, software).
DIVISIONS = ["37"] * 8 + ["34", "35", "33", "38", "39", "36", "29", "30", "26", "17", "18", "13", "14"] * 3 + [
    "48", "50", "51", "59", "65", "72", "74"]
# indicator key → source name (the office that sends it)
SOURCE_OF = {"tax_paid": "税务", "electricity": "电力", "pollutants": "生态环境", "land_area": "自然资源"}
SENT_ON = {"税务": (2, 10), "电力": (1, 20), "生态环境": (4, 15), "自然资源": (3, 1), "统计": (3, 15)}
# (tag name, share of firms)
TAG_SHARES = [("高新技术企业", 0.09), ("科技型中小企业", 0.06), ("专精特新“小巨人”", 0.02), ("单项冠军", 0.005),
              ("专利示范企业", 0.01), ("上市梯队·辅导", 0.006), ("上市梯队·申报", 0.003), ("上市梯队·上市", 0.002)]


def demo_credit_code(rng: random.Random) -> str:
    body = "91320684" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def clear_demo() -> int:
    ids = list(Enterprise.objects.filter(is_demo=True).values_list("pk", flat=True))
    MujunResult.objects.filter(enterprise__in=ids).delete()
    MujunRun.objects.filter(is_demo=True).delete()
    MujunScheme.objects.filter(is_demo=True).delete()
    MujunPolicy.objects.filter(is_demo=True).delete()
    EnterpriseFigure.objects.filter(enterprise__in=ids).delete()
    Enterprise.objects.filter(pk__in=ids).delete()
    forget_history(Enterprise, ids)
    return len(ids)


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _name(rng: random.Random, taken: set[str]) -> str:
    name = ""
    while not name or name in taken:
        name = f"{rng.choice(PLACES)}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(TRADES)}{rng.choice(KINDS)}"
    taken.add(name)
    return name


def _enterprises(rng: random.Random, today: dt.date, count: int,
                 taken: tuple[set[str], set[str]] | None = None) -> list[Enterprise]:
    """`count` new firms; `taken`: (credit codes, names) already used, kept up to date."""
    divisions = {d.code: d for d in IndustryDivision.objects.all()}
    units = list(OrgUnit.objects.filter(is_active=True, kind__in=[OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.AREA]))
    leaders = list({a.user for a in RoleAssignment.objects.filter(role=LEADER).select_related("user")})
    codes, names = taken or (set(), set())
    made = []
    latest = today.year - 1
    for _ in range(count):
        code = demo_credit_code(rng)
        while code in codes:
            code = demo_credit_code(rng)
        codes.add(code)
        registered = _date(rng, dt.date(2003, 1, 1), dt.date(latest, 6, 30))
        above = None
        if rng.random() < 0.35:
            # Most 规上 firms long since; a few admitted last year or this year (小升规).
            roll = rng.random()
            start = dt.date(latest, 1, 1) if roll < 0.08 else (dt.date(today.year, 1, 1) if roll < 0.12 else registered)
            end = dt.date(latest, 12, 31) if roll < 0.08 else (today if roll < 0.12 else dt.date(latest - 1, 12, 31))
            above = _date(rng, max(start, registered), max(end, registered))
        paired = rng.random() < 0.7
        made.append(Enterprise(
            name=_name(rng, names), credit_code=code, registered_on=registered,
            production_on=registered + dt.timedelta(days=rng.randint(90, 900)) if rng.random() < 0.9 else None,
            address=f"江苏省海门经济技术开发区{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            industry=divisions[rng.choice(DIVISIONS)], above_scale_since=above,
            land_mu=Decimal(rng.randint(5, 400 if above else 60)), is_demo=True,
            liaison_unit=rng.choice(units) if paired and units else None,
            liaison_leader=rng.choice(leaders) if paired and leaders and above else None,
        ))
    return Enterprise.objects.bulk_create(made)


def _history(enterprises: list[Enterprise], today: dt.date) -> None:
    content_type = ContentType.objects.get_for_model(Enterprise)
    fields = [f for f in Enterprise.WRITABLE_FIELDS if f not in ("parcels", "tags")]
    ChangeRecord.objects.bulk_create(
        ChangeRecord(action=ChangeRecord.Action.CREATE, content_type=content_type, object_id=e.pk,
                     object_repr=e.name[:300], after=snapshot(e, fields, with_m2m=False), note="演示数据")
        for e in enterprises)


def _tags(rng: random.Random, enterprises: list[Enterprise], today: dt.date) -> None:
    tags = {t.name: t for t in EnterpriseTag.objects.all()}
    rows = []
    for name, share in TAG_SHARES:
        if name not in tags:
            continue
        pool = [e for e in enterprises if e.above_scale_since] if "小巨人" in name or "冠军" in name else enterprises
        for enterprise in rng.sample(pool, k=min(len(pool), max(1, round(len(enterprises) * share)))):
            rows.append(EnterpriseTagging(enterprise=enterprise, tag=tags[name],
                                          since=_date(rng, dt.date(today.year - 6, 1, 1), today)))
    EnterpriseTagging.objects.bulk_create(rows, ignore_conflicts=True)


def _parcels(rng: random.Random, enterprises: list[Enterprise]) -> None:
    from yuanqu.land.models import Parcel

    parcels = list(Parcel.objects.filter(is_demo=True, status__in=["built", "building", "supplied", "inefficient"]))
    through = Enterprise.parcels.through
    owners = rng.sample([e for e in enterprises if e.above_scale_since], k=min(len(parcels), 200))
    through.objects.bulk_create(through(enterprise=e, parcel=p) for e, p in zip(owners, parcels, strict=False))


def _revenue_path(rng: random.Random, enterprise: Enterprise, years: list[int]) -> list[Decimal]:
    if enterprise.above_scale_since:
        base = 2000 * 10 ** rng.uniform(0, 2.2)  # 2千万 … ~30亿元
        if rng.random() < 0.01:
            base *= 20  # a few large firms near 五十亿
    else:
        base = rng.uniform(80, 2300)
    path = []
    for _ in years:
        path.append(Decimal(round(base, 1)))
        base *= rng.uniform(0.85, 1.4)
    return path


def _figures(rng: random.Random, enterprises: list[Enterprise], today: dt.date) -> int:
    indicators = {i.key: i for i in Indicator.objects.filter(is_active=True)}
    sources = {s.name: s for s in FigureSource.objects.all()}
    years = [today.year - 3, today.year - 2, today.year - 1]

    @functools.cache
    def sent(source: str, year: int, month_day=None) -> dt.datetime:
        month, day = month_day or SENT_ON[source]
        return timezone.make_aware(dt.datetime.combine(min(dt.date(year + 1, month, day), today), dt.time(9)))

    rows = []
    for enterprise in enterprises:
        for year, revenue in zip(years, _revenue_path(rng, enterprise, years), strict=True):
            if enterprise.registered_on and enterprise.registered_on.year > year:
                continue
            r = float(revenue)
            values = {"revenue": revenue, "value_added": r * rng.uniform(0.15, 0.32),
                      "tax_paid": r * rng.uniform(0.02, 0.07), "energy": r * rng.uniform(0.01, 0.12),
                      "electricity": r * rng.uniform(0.03, 0.15), "pollutants": r * rng.uniform(0.0001, 0.002),
                      "rnd": r * rng.uniform(0.0, 0.05), "employees": max(3, round(r / rng.uniform(40, 120))),
                      "land_area": enterprise.land_mu}
            for key, value in values.items():
                if key not in indicators or value is None:
                    continue
                source = SOURCE_OF.get(key, "统计")
                rows.append(EnterpriseFigure(
                    enterprise=enterprise, year=year, indicator=indicators[key], source=sources[source], version=1,
                    value=Decimal(value).quantize(Decimal("0.01")), created_at=sent(source, year), is_demo=True))
            if rng.random() < 0.05 and "revenue" in indicators:  # the tax office's later correction
                rows.append(EnterpriseFigure(
                    enterprise=enterprise, year=year, indicator=indicators["revenue"], source=sources["税务"],
                    version=2, value=(revenue * Decimal(rng.uniform(0.97, 1.06))).quantize(Decimal("0.01")),
                    created_at=sent("税务", year, (6, 1)), is_demo=True))
    insert_many(rows)  # one executemany: bulk_create took twenty seconds for the demo's 50,000 figures
    return len(rows)


def build_demo(*, today, count: int | None = None) -> None:
    gb4754.load(apps.get_model)  # a database flushed since migrating (a test's) lacks the shipped lists
    rng = random.Random(20260301)
    count = settings.YUANQU_DEMO_ENTERPRISES if count is None else count
    enterprises = _enterprises(rng, today, count)
    _history(enterprises, today)
    _tags(rng, enterprises, today)
    _parcels(rng, enterprises)
    _figures(rng, enterprises, today)
    _mujun(today)


def grow(*, today: dt.date, count: int, chunk: int = 2000, progress=None) -> int:
    """The large demo's enterprises on top of the demo's: `count` more with their history, tags and
    three years of figures (no land, no 亩均 runs), a chunk at a time so memory stays flat."""
    rng = random.Random(20261205)
    taken = (set(Enterprise.objects.values_list("credit_code", flat=True)),
             set(Enterprise.objects.values_list("name", flat=True)))
    done = 0
    while done < count:
        with transaction.atomic():
            enterprises = _enterprises(rng, today, min(chunk, count - done), taken)
            _history(enterprises, today)
            _tags(rng, enterprises, today)
            _figures(rng, enterprises, today)
        done += len(enterprises)
        if progress:
            progress(done)
    return done


# Examples of the differentiated policies a county attaches to each class (the administrator
# replaces them with the year's document in the admin site).
POLICIES = (
    ("A", "power", "优先保障用电，不列入有序用电限电范围", "供电公司"),
    ("A", "land", "新增用地、技改扩建优先安排用地指标", "自然资源和规划局"),
    ("A", "credit", "列入重点支持名单，金融机构优先授信、利率优惠", "金融办"),
    ("A", "honours", "优先推荐各类评优评先和专项资金", "经发局"),
    ("B", "credit", "按正常条件给予信贷支持", "金融办"),
    ("B", "emissions", "排污权交易按基准价执行", "生态环境局"),
    ("C", "power", "有序用电时适当限电", "供电公司"),
    ("C", "water", "用水超定额部分累进加价", "水务局"),
    ("C", "land", "原则上不新增用地，鼓励“零土地”技改", "自然资源和规划局"),
    ("D", "power", "执行差别电价，每千瓦时加价 0.1 元", "供电公司"),
    ("D", "water", "执行差别水价，每吨加价 1 元", "水务局"),
    ("D", "land", "不安排新增用地，列入低效用地整治", "自然资源和规划局"),
    ("D", "emissions", "不得新增排污权，排污权有偿使用费从高", "生态环境局"),
    ("D", "credit", "金融机构审慎授信，不予新增贷款", "金融办"),
    ("D", "honours", "不得参加各类评优评先，不享受专项扶持资金", "经发局"),
)


def _mujun(today: dt.date) -> None:
    """The last two years evaluated on Huangyan's published parameters, both published, so the
    enterprise pages show a class history with movement."""
    from .mujun import load_fixture
    from .mujun_services import run_create, run_publish, run_sign_off, scheme_create

    MujunPolicy.objects.bulk_create(MujunPolicy(class_key=k, kind=kind, text=text, office=office, order=i, is_demo=True)
                                    for i, (k, kind, text, office) in enumerate(POLICIES))
    for year in (today.year - 2, today.year - 1):
        definition = load_fixture("huangyan_2022").to_dict()
        definition.update(year=year, jurisdiction="海门经开区（演示）",
                          name=f"{year}年度工业企业亩均效益综合评价（沿用黄岩区2022年参数）")
        scheme = scheme_create(actor=None, definition=definition, is_demo=True,
                               sources={"主要污染物排放量": "pollutants", "R&D经费支出": "rnd"})
        run = run_create(actor=None, scheme=scheme, is_demo=True)
        run_sign_off(actor=None, run=run)
        run_publish(actor=None, run=run)
