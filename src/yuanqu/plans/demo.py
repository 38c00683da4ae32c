"""The demo zone behind `yuanqu demo`: units, users, the seed plan and a season of reports.

Everything is written through the services (org.services, plans.services), so the demo's
history, rights checks and validation are the real ones. All rows carry is_demo=True and are
deleted before the demo is built again.

The reports are shaped relative to `today`: each target gets a "story" (the status it should
show on `today`), and its figures are computed from 序时进度 on that date, so the mix of
red/yellow/green/done/not started holds whatever day the demo is built on.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.core.metrics import all_metrics, find_metric
from yuanqu.core.services import forget_history
from yuanqu.org import roles
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit, User

from . import services, stored
from . import status as lights
from .models import LedgerItem, Plan, ProgressReport, Target
from .selectors import evaluate_targets

SEED_PLAN = Path(__file__).resolve().parent / "demo_data" / "seed_plan.txt"
Status = lights.Status
Kind = OrgUnit.Kind


class DemoError(ApplicationError):
    """The demo cannot be built on this database (message in Chinese)."""


# No fixed passwords: a database the demo once ran on must not open to a published one.
# YUANQU_DEMO_PASSWORD gives every demo account the same password (a training room, the tests);
# otherwise each account gets a fresh one, printed once by `yuanqu demo`.
PASSWORD_ENV = "YUANQU_DEMO_PASSWORD"
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread (l/1, O/0)


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or "".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(12))


# ---------------------------------------------------------------- the zone


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str = Kind.DEPARTMENT
    parent: str | None = "gwh"
    short_name: str = ""


UNITS = [
    UnitSpec("gwh", "管委会", Kind.COMMITTEE, parent=None),
    UnitSpec("dcs", "督查室"),
    UnitSpec("zsj", "招商局"),
    UnitSpec("jfj", "经济发展局", short_name="经发局"),
    UnitSpec("jsj", "建设局"),
    UnitSpec("xzsp", "行政审批局"),
    UnitSpec("djb", "党建工作办公室", short_name="党建办"),
    UnitSpec("nync", "农业农村局"),
    UnitSpec("shsy", "社会事业局"),
    UnitSpec("ajhb", "安全生产监督管理和环境保护局", short_name="安监与环保"),
    UnitSpec("cjk", "长江口集团", Kind.COMPANY),
    # The seed names villages but not the areas (片区) they belong to: these two groupings are
    # examples, named after places the seed mentions (三和, 江心沙).
    UnitSpec("sh", "三和片区", Kind.AREA),
    UnitSpec("jxs", "江心沙片区", Kind.AREA),
    # Villages named in the seed.
    UnitSpec("shc", "三和村", Kind.VILLAGE, parent="sh"),
    UnitSpec("snc", "三南村", Kind.VILLAGE, parent="sh"),
    UnitSpec("swc", "三圩村", Kind.VILLAGE, parent="sh"),
    UnitSpec("gdc", "高店村", Kind.VILLAGE, parent="sh"),
    UnitSpec("dxc", "大兴村", Kind.VILLAGE, parent="jxs"),
    UnitSpec("xdc", "兄弟村", Kind.VILLAGE, parent="jxs"),
    UnitSpec("xyc", "新远村", Kind.VILLAGE, parent="jxs"),
    UnitSpec("jnc", "建南村", Kind.VILLAGE, parent="jxs"),
    # Examples, not in the seed (it speaks of 社区 only in general): one community per area.
    UnitSpec("zjsq", "紫郡社区", Kind.COMMUNITY, parent="sh"),
    UnitSpec("jghsq", "謇公湖社区", Kind.COMMUNITY, parent="jxs"),
]


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    unit: str
    full_name: str
    superuser: bool = False
    also: tuple[tuple[str, str], ...] = ()  # more (role, unit code) the person holds


Role = roles
USERS = [
    UserSpec("admin", Role.ADMIN, "gwh", "系统管理员", superuser=True),
    UserSpec("supervisor", Role.SUPERVISOR, "dcs", "陈静"),
    UserSpec("leader", Role.LEADER, "gwh", "周建国"),
    UserSpec("zsj", Role.REPORTER, "zsj", "王磊"),
    UserSpec("jfj", Role.REPORTER, "jfj", "李娜"),
    UserSpec("jsj", Role.REPORTER, "jsj", "赵强"),
    UserSpec("xzsp", Role.REPORTER, "xzsp", "孙丽"),
    UserSpec("dj", Role.REPORTER, "djb", "刘洋"),
    UserSpec("nync", Role.REPORTER, "nync", "黄伟"),
    UserSpec("shsy", Role.REPORTER, "shsy", "吴敏"),
    UserSpec("ajhb", Role.REPORTER, "ajhb", "郑刚"),
    UserSpec("snc", Role.REPORTER, "snc", "钱红"),
    # One person, two roles: the two 片区' reporter (reports for every village under either).
    UserSpec("pq", Role.REPORTER, "sh", "何芳", also=((Role.REPORTER, "jxs"),)),
]

# ---------------------------------------------------------------- who leads what

# keyword → (lead unit, cooperating units). Tried in this order on the target's text, then its
# measure's head, then its section's title; the first hit wins, so specific words come first
# (“村卫生室” is 社会事业局's, not 农业农村局's; “村庄污水” before “村”).
LEAD_RULES: list[tuple[str, str, tuple[str, ...]]] = [
    ("招商", "zsj", ("jfj",)),
    ("招引", "zsj", ("jfj",)),
    ("项目", "zsj", ("jsj", "cjk")),
    ("审批", "xzsp", ()),
    ("党组织", "djb", ()),
    ("党建", "djb", ()),
    ("养老", "shsy", ("nync",)),
    ("卫生室", "shsy", ()),
    ("社会保险", "shsy", ()),
    ("直饮水", "shsy", ("jsj",)),
    ("学校", "shsy", ()),
    ("社区", "shsy", ()),
    ("安全", "ajhb", ()),
    ("治安", "ajhb", ("shsy",)),
    ("污染", "ajhb", ("jsj",)),
    ("农民", "nync", ()),
    ("污水", "nync", ("jsj",)),
    ("绿化", "nync", ("jsj",)),
    ("村", "nync", ()),
    ("规划", "jsj", ()),
    ("建设", "jsj", ()),
    ("道路", "jsj", ()),
]
FALLBACK_LEAD = "jfj"


def lead_for(texts: list[str]) -> tuple[str, tuple[str, ...]]:
    for text in texts:
        for keyword, lead, cooperating in LEAD_RULES:
            if keyword in (text or ""):
                return lead, cooperating
    return FALLBACK_LEAD, ()


# ---------------------------------------------------------------- ledgers (台账)


@dataclass(frozen=True)
class LedgerSpec:
    """A target whose text names the items it counts becomes a ledger target with those items.

    `items`: (name, responsible unit code, amount, the words that must appear in the target's
    text, or None when the plan does not name the item); `items=None` means “the villages the
    text names”, each item called village + `suffix`. `progress` is each item's state on the
    demo's today.
    """

    keyword: str
    indicator: str
    items: tuple[tuple[str, str | None, str | None, str | None], ...] | None
    progress: tuple[str, ...]
    suffix: str = ""
    amounts: tuple[str | None, ...] = ()
    note: str = ""
    # Where a register keeps these items (its metric registered), the target reads that metric
    # instead of a hand-kept ledger: (metric, parameters).
    metric: tuple[str, dict] | None = None


DONE, DOING, WAITING = LedgerItem.Status.DONE, LedgerItem.Status.IN_PROGRESS, LedgerItem.Status.PLANNED
LEDGERS = [
    LedgerSpec(
        "豪华邮轮项目", "重大项目开工数",
        items=(("豪华邮轮项目（超200亿元）", "cjk", "200", "豪华邮轮"),
               ("皓晶高端玻璃项目（超10亿元）", "zsj", "10", "皓晶"),
               ("嘉浩智能供应链项目", "zsj", None, "嘉浩"), ("佳禾食品项目", "zsj", None, "佳禾")),
        progress=(DOING, DONE, DONE, WAITING), note="金额单位：亿元",
        metric=("projects.named_in_stage", {"names": "豪华邮轮、皓晶、嘉浩、佳禾", "stage": "开工"}),
    ),
    LedgerSpec(
        "经济薄弱村", "经营收入达50万元以上的经济薄弱村数", items=None, suffix="经营收入达50万元以上",
        progress=(DONE, DONE, DOING, DOING), amounts=("56", "52", "38", "31"), note="金额为当年累计经营收入（万元）",
    ),
    # The seed does not name the five villages: these are examples.
    LedgerSpec(
        "村庄污水", "村庄污水集中收集工程完成数",
        items=(("三和村污水集中收集工程", "shc", None, None), ("三圩村污水集中收集工程", "swc", None, None),
               ("高店村污水集中收集工程", "gdc", None, None), ("新远村污水集中收集工程", "xyc", None, None),
               ("兄弟村污水集中收集工程", "xdc", None, None)),
        progress=(DONE, DONE, DONE, DOING, WAITING),
    ),
    LedgerSpec(
        "农村示范党组织", "农村示范党组织建成数", items=None, suffix="示范党组织",
        progress=(DONE, DOING, DONE, DOING, WAITING),
    ),
    LedgerSpec(
        "直饮水", "学校直饮水工程完成数",
        items=(("三和中学直饮水工程", "shc", None, "三和中学"), ("三和小学直饮水工程", "shc", None, "三和小学"),
               ("三和幼儿园直饮水工程", "shc", None, "三和幼儿园"),
               ("首开紫郡中学直饮水工程", "zjsq", None, "紫郡中学")),
        progress=(DONE, DONE, DONE, DONE),
    ),
]

# ---------------------------------------------------------------- targets added in review

# The extractor finds only commitments with a number or a checkable end state; in review the
# supervisor adds a few the plan states in words, so that every department has work to report.
# (section no, measure no, title, kind, comparator, value, unit, milestone) — demo examples.
ADDED_TARGETS = [
    ("二", "二是", "开展工业企业“亩均效益”综合评价，规模以上工业企业参评率100%", Target.Kind.RATIO, ">=", 100, "%", ""),
    ("二", "三是", "新培育专利示范企业5家", Target.Kind.QUANTITY, ">=", 5, "家", ""),
    ("三", "一是", "完成豪华邮轮产业园、现代建筑产业园、海门足球小镇等重点项目规划编制", Target.Kind.MILESTONE, "",
     None, "", "完成"),
    ("三", "二是", "謇公湖生态公园、广州路雨污水管网改造工程年内完工", Target.Kind.MILESTONE, "", None, "", "完工"),
    # 强力整治“僵尸企业”和“散乱污”企业, 盘活低效闲置资源 (the clean-up register's metrics bind them).
    ("二", "二是", "处置“僵尸企业”8家", Target.Kind.QUANTITY, ">=", 8, "家", ""),
    ("二", "二是", "整治“散乱污”企业5家", Target.Kind.QUANTITY, ">=", 5, "家", ""),
    ("二", "二是", "通过企业清理盘活低效闲置土地100亩", Target.Kind.QUANTITY, ">=", 100, "亩", ""),
]

# ---------------------------------------------------------------- report stories

# keyword in the target's text → the status it shows on the demo's today, and at most one
# special review event on its latest month:
#   returned  – the latest month was returned with a comment and awaits a new version;
#   pending   – the latest month waits for the supervisor's review;
#   corrected – the latest month's version 1 was returned, version 2 accepted.
# A keyword may appear twice when one clause yields two targets (50亿元、100亿元).
STORIES: list[tuple[str, Status, str | None]] = [
    ("重特大项目", Status.GREEN, None),
    ("重特大项目", Status.YELLOW, None),
    ("3550", Status.DONE, None),
    ("2330", Status.YELLOW, "pending"),
    ("基层党组织全部达标", Status.GREEN, None),
    ("创建示范党组织", Status.RED, None),
    ("新型农民", Status.GREEN, "corrected"),
    ("持证农民", Status.YELLOW, "returned"),
    ("农民收入", Status.RED, None),
    ("卫生室", Status.DONE, None),
    ("社会保险", Status.DONE, None),
    ("养老服务中心", Status.GREEN, None),
    ("养老服务站", Status.YELLOW, None),
    ("水美乡村", Status.GREEN, None),
    ("绿化面积", Status.RED, None),
    ("绿化覆盖率", Status.GREEN, None),
    ("和谐社区", Status.YELLOW, None),
    ("治安", Status.GREEN, None),
    ("十个必接", Status.NOT_STARTED, None),
    ("安全生产事故", Status.GREEN, None),
    ("亩均效益", Status.GREEN, None),
    ("专利示范企业", Status.YELLOW, None),
    ("规划编制", Status.GREEN, None),
    ("謇公湖生态公园", Status.RED, None),
]
# Targets no story names (another plan text, a changed extractor) cycle through these.
FALLBACK_STORIES = (Status.GREEN, Status.YELLOW, Status.GREEN, Status.RED)
REQUIRED = (Status.RED, Status.YELLOW, Status.GREEN, Status.DONE, Status.NOT_STARTED)
SPECIALS = ("returned", "pending", "corrected")

PROBLEMS = [
    "受用地指标未及时到位影响，进度慢于序时。",
    "资金拨付滞后，部分工作未能按期推进。",
    "前期手续办理周期较长，影响整体进度。",
]


@dataclass
class Story:
    status: Status
    special: str | None = None


@dataclass
class DemoResult:
    plan: Plan
    today: dt.date
    users: list[tuple[UserSpec, User]]
    passwords: dict[str, str]  # by username, as set: shown once, stored only hashed
    counts: dict[Status, int]
    reports: int = 0
    ledger_items: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    extensions: list[str] = field(default_factory=list)  # other apps' demos that were built


# ---------------------------------------------------------------- entry points


def real_data_counts() -> dict[str, int]:
    """Rows that are not demo data, administrators included: the demo makes accounts with known
    passwords and deletes its own rows, so it never runs where real work is kept."""
    counts = {
        "计划": Plan.objects.filter(is_demo=False).count(),
        "单位": OrgUnit.objects.filter(is_demo=False).count(),
        "用户": User.objects.filter(is_demo=False).count(),
    }
    return {k: v for k, v in counts.items() if v}


DEMO_CALENDAR_NOTE = "演示：尚未录入国务院节假日安排，暂按周一至周五计；正式使用请录入通知后勾选已完整维护"


def demo_next_year_calendar(today: dt.date) -> None:
    """From November on, the demo's clocks (a request's 20 working days, a petition's 60 days) run
    into next year, which the chinese_calendar package may not know yet: the platform then refuses,
    as it should, until the administrator enters the State Council's notice. A demo is no place to
    wait for it, so it counts next year Monday–Friday and says so in the calendar's basis field —
    never in a database with real data (build_demo runs only on an empty or demo one)."""
    import chinese_calendar

    from yuanqu.core.models import CalendarYear

    following = today.year + 1
    if today.month < 11 or CalendarYear.objects.filter(year=following).exists():
        return
    try:
        chinese_calendar.is_workday(dt.date(following, 1, 4))
    except NotImplementedError:
        CalendarYear.objects.create(year=following, complete=True, note=DEMO_CALENDAR_NOTE)


def default_today(year: int, now: dt.date) -> dt.date:
    """Today, moved into the plan year when the year is another one (same month and day)."""
    if now.year == year:
        return now
    day = min(now.day, 28) if now.month == 2 else now.day
    return now.replace(year=year, day=day)


@transaction.atomic
@stored.batched
def build_demo(*, year: int, today: dt.date) -> DemoResult:
    """Delete the previous demo data and build it again, in one transaction."""
    real = real_data_counts()
    if real:
        found = "、".join(f"{name} {count} 个" for name, count in real.items())
        raise DemoError(
            f"数据库中已有非演示数据（{found}），演示命令只能在新建的空数据库（或只有演示数据的数据库）上运行，"
            "以免演示账号进入正式数据库。请另设一个数据目录（如 YUANQU_DATA_DIR=./var-demo）或数据库"
            "（DATABASE_URL）后再运行 yuanqu migrate 和 yuanqu demo。"
        )
    extensions = app_demos()
    # Other apps' demo rows point at our units, users and targets: they go first.
    for _, module in reversed(extensions):
        if hasattr(module, "clear_demo"):
            module.clear_demo()
    removed = clear_demo_data()
    demo_next_year_calendar(today)
    units = build_units()
    passwords = {spec.username: demo_password() for spec in USERS}
    users = build_users(units, passwords)
    supervisor = users["supervisor"]
    plan = services.plan_import_text(
        actor=supervisor, text=SEED_PLAN.read_text(encoding="utf-8"), year=year,
        title="园区年度工作计划（演示）", is_demo=True,
    )
    add_targets(supervisor, plan)
    targets = list(plan.targets.alive().select_related("section", "measure"))
    ledger_specs, targets = make_ledgers(supervisor, targets, units)
    stories = assign_stories([t for t in targets if t.pk not in ledger_specs])
    assign_units(supervisor, targets, units, stories, today)
    items = create_ledger_items(supervisor, ledger_specs, units)
    plan = services.plan_activate(actor=supervisor, plan=plan)

    # Each lead unit's reporter files its reports; units without one are served by the supervisor.
    reporters = {units[spec.unit].pk: users[spec.username] for spec in USERS if spec.role == Role.REPORTER}
    live = list(plan.targets.alive().select_related("plan", "lead_unit"))
    reports = file_reports(live, stories, reporters, supervisor, today)
    update_ledgers(items, reporters, supervisor, today)

    built = []
    for config, module in extensions:
        if hasattr(module, "build_demo"):
            module.build_demo(today=today)
            built.append(str(config.verbose_name))
    bind_register_metrics(supervisor, plan)

    evaluations = evaluate_targets(plan.targets.alive().select_related("plan"), today)
    counts = {s: 0 for s in Status}
    for evaluation in evaluations.values():
        counts[evaluation.status] += 1
    return DemoResult(
        plan=plan, today=today, users=[(spec, users[spec.username]) for spec in USERS], passwords=passwords,
        counts=counts,
        reports=reports, ledger_items=sum(len(v) for v in items.values()), removed=removed, extensions=built,
    )


def app_demos() -> list[tuple[object, ModuleType]]:
    """Other apps' demo builders, in INSTALLED_APPS order: a module `yuanqu.<app>.demo` with
    `clear_demo()` (called before our demo rows are deleted) and/or `build_demo(*, today)`
    (called once the demo plan is active, units, users and reports in place)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yuanqu.") or config.name == __package__:
            continue
        try:
            found.append((config, import_module(f"{config.name}.demo")))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return found


# ---------------------------------------------------------------- steps


def clear_demo_data() -> dict[str, int]:
    """Delete every demo row (and its change records), children before parents."""
    plans = Plan.objects.filter(is_demo=True)
    targets = Target.objects.filter(Q(is_demo=True) | Q(plan__in=plans))
    reports = ProgressReport.objects.filter(Q(is_demo=True) | Q(target__in=targets))
    items = LedgerItem.objects.filter(Q(is_demo=True) | Q(target__in=targets))
    users = User.objects.filter(is_demo=True)
    units = OrgUnit.objects.filter(is_demo=True)
    ids = {
        model: list(qs.values_list("pk", flat=True))
        for model, qs in [(ProgressReport, reports), (LedgerItem, items), (Target, targets), (Plan, plans),
                          (User, users), (OrgUnit, units)]
    }
    removed = {"计划": len(ids[Plan]), "用户": len(ids[User]), "单位": len(ids[OrgUnit])}
    if not any(ids.values()):
        return {}
    try:
        ProgressReport.objects.filter(pk__in=ids[ProgressReport]).delete()
        LedgerItem.objects.filter(pk__in=ids[LedgerItem]).delete()
        Target.objects.filter(pk__in=ids[Target]).delete()
        Plan.objects.filter(pk__in=ids[Plan]).delete()
        User.objects.filter(pk__in=ids[User]).delete()
        # The tree protects parents from deletion; cut it first (all of it goes anyway).
        OrgUnit.objects.filter(pk__in=ids[OrgUnit]).update(parent=None)
        OrgUnit.objects.filter(pk__in=ids[OrgUnit]).delete()
    except ProtectedError as exc:
        blockers = "、".join(sorted({str(o)[:30] for o in list(exc.protected_objects)[:5]}))
        raise DemoError(f"旧的演示数据仍被非演示数据引用（如：{blockers}），无法自动删除，请先处理这些记录。") from exc
    for model, pks in ids.items():
        if pks:
            forget_history(model, pks)
    return removed


def build_units() -> dict[str, OrgUnit]:
    """The zone's tree."""
    units: dict[str, OrgUnit] = {}
    for order, spec in enumerate(UNITS):
        units[spec.code] = org_services.orgunit_create(
            actor=None, name=spec.name, short_name=spec.short_name, kind=spec.kind,
            parent=units[spec.parent] if spec.parent else None, order=order, is_demo=True,
        )
    return units


def build_users(units: dict[str, OrgUnit], passwords: dict[str, str]) -> dict[str, User]:
    users: dict[str, User] = {}
    admin = None
    for spec in USERS:
        user = org_services.user_create(
            actor=admin, username=spec.username, password=passwords[spec.username], role=spec.role, unit=units[spec.unit],
            also=[(role, units[code]) for role, code in spec.also],
            full_name=spec.full_name, is_staff=spec.superuser, is_superuser=spec.superuser, is_demo=True,
        )
        users[spec.username] = user
        admin = admin or user  # the administrator creates everyone after himself
    return users


# Seed targets that read their figure from a register once the registers' demos are built:
# (section no, words in the title, target value, metric, its parameters for the plan's year).
# A metric that is not registered (its app not installed) leaves the target reported by hand.
REGISTER_BINDINGS = [
    ("一", "招引", Decimal("50"), "investment.largest_signed", lambda year: {"year": year}),
    ("一", "招引", Decimal("100"), "investment.largest_signed", lambda year: {"year": year}),
    # Section 六's rates, computed from the villages' counts (indicators/demo.py defines them).
    ("六", "持证农民比例", Decimal("50"), "indicators.value", lambda year: {"code": "farmer_certified", "year": year}),
    ("六", "参保率", Decimal("99"), "indicators.value", lambda year: {"code": "insured_rate", "year": year}),
    ("六", "居家养老服务站标准化建成率", Decimal("35"), "indicators.value",
     lambda year: {"code": "elderly_station_rate", "year": year}),
    ("六", "和谐社区建设达标率", Decimal("98"), "indicators.value",
     lambda year: {"code": "harmony_community_rate", "year": year}),
    ("六", "绿化覆盖率", Decimal("30"), "indicators.value", lambda year: {"code": "greening_rate", "year": year}),
    # Section 五's Party targets, read from the year's reviewed standardisation assessments (party/demo.py).
    ("五", "基层党组织全部达标", Decimal("92"), "party.standard_met", lambda year: {"year": year}),
    ("五", "示范党组织", Decimal("7"), "party.exemplary", lambda year: {"year": year}),
    # Section 二's clean-up targets (added in review above), read from the clean-up register.
    ("二", "僵尸企业", Decimal("8"), "cleanup.zombie_disposed", lambda year: {"year": year}),
    ("二", "散乱污", Decimal("5"), "cleanup.scattered_rectified", lambda year: {"year": year}),
    ("二", "盘活低效闲置土地", Decimal("100"), "cleanup.land_released", lambda year: {"year": year}),
]


def bind_register_metrics(actor, plan: Plan) -> int:
    """Bind the seed's register-backed targets to their metrics (allowed on an active plan: only
    where the figure comes from changes). Returns how many were bound."""
    registered = {m.name for m in all_metrics()}
    bound = 0
    for target in plan.targets.alive().select_related("section"):
        for section_no, words, value, metric, params in REGISTER_BINDINGS:
            if (metric in registered and target.section.no == section_no and words in target.title
                    and target.target_value == value):
                services.target_update(actor=actor, target=target,
                                       data={"metric": metric, "metric_params": params(plan.year)})
                bound += 1
                break
    return bound


def add_targets(actor, plan: Plan) -> None:
    sections = {s.no: s for s in plan.sections.all()}
    order = plan.targets.count()
    for section_no, measure_no, title, kind, comparator, value, unit, milestone in ADDED_TARGETS:
        section = sections.get(section_no)
        if section is None:
            continue
        order += 1
        services.target_create(actor=actor, plan=plan, data={
            "section": section, "measure": section.measures.filter(no=measure_no).first(), "title": title,
            "kind": kind, "comparator": comparator, "target_value": value, "unit": unit, "milestone": milestone,
            "order": order,
        })


def _villages_named(text: str, units: dict[str, OrgUnit]) -> list[OrgUnit]:
    """Villages and communities the text names, in the text's order."""
    named = [u for u in units.values() if u.kind in {Kind.VILLAGE, Kind.COMMUNITY} and u.name in text]
    return sorted(named, key=lambda u: text.index(u.name))


def make_ledgers(actor, targets: list[Target], units) -> tuple[dict[int, tuple[LedgerSpec, list]], list[Target]]:
    """Turn targets that name their items into ledger targets; several targets extracted from one
    clause (a list of projects) are merged into one first. Returns {target id: (spec, items)}."""
    found: dict[int, tuple[LedgerSpec, list]] = {}
    for spec in LEDGERS:
        group = [t for t in targets if spec.keyword in t.title and t.pk not in found]
        if not group:
            continue
        if len(group) > 1:
            merged = services.target_merge(actor=actor, targets=group)
            targets = [t for t in targets if t.pk not in {g.pk for g in group}] + [merged]
            group = [merged]
        target = group[0]
        if spec.items is None:
            villages = _villages_named(target.title, units)
            items = [(f"{v.name}{spec.suffix}", v, None) for v in villages]
        else:
            items = [(name, units[code] if code else None, amount) for name, code, amount, match in spec.items
                     if match is None or match in target.title]
        if not items:
            continue
        amounts = spec.amounts or tuple(a for _, _, a in items)
        items = [(name, unit, amounts[i] if i < len(amounts) else None) for i, (name, unit, _) in enumerate(items)]
        data = {"kind": Target.Kind.LEDGER, "indicator": spec.indicator, "comparator": ">=",
                "target_value": len(items), "target_value_max": None, "unit": "个", "milestone": ""}
        metric = spec.metric if spec.metric and find_metric(spec.metric[0]) else None
        if metric:  # the register's records are the items: a count read from it, no ledger
            data.update(kind=Target.Kind.QUANTITY, metric=metric[0], metric_params=metric[1])
        target = services.target_update(actor=actor, target=target, data=data)
        targets = [target if t.pk == target.pk else t for t in targets]
        if not metric:
            found[target.pk] = (spec, items)
    return found, targets


def assign_stories(targets: list[Target]) -> dict[int, Story]:
    stories: dict[int, Story] = {}
    unused = list(STORIES)
    fallback = 0
    for target in targets:
        hit = next((s for s in unused if s[0] in target.title), None)
        if hit:
            unused.remove(hit)
            story = Story(hit[1], hit[2])
        else:
            story = Story(FALLBACK_STORIES[fallback % len(FALLBACK_STORIES)])
            fallback += 1
        if _lower_is_better(target) and story.status != Status.NOT_STARTED:
            story = Story(Status.GREEN)  # “must not happen” targets are either kept or broken
        stories[target.pk] = story
    _ensure_variety(targets, stories)
    return stories


def _lower_is_better(target: Target) -> bool:
    value = float(target.target_value) if target.target_value is not None else None
    return lights.is_lower_better(target.comparator or None, value)


def _ensure_variety(targets: list[Target], stories: dict[int, Story]) -> None:
    """Every status and every review event appears at least once, whatever the plan text."""
    flexible = [t for t in targets if not _lower_is_better(t)]
    for status in REQUIRED:
        if any(s.status == status for s in stories.values()):
            continue
        donors = [t for t in flexible if stories[t.pk].status == Status.GREEN and not stories[t.pk].special]
        if donors and sum(s.status == Status.GREEN for s in stories.values()) > 1:
            stories[donors[-1].pk] = Story(status)
    for special in SPECIALS:
        if any(s.special == special for s in stories.values()):
            continue
        hosts = [t for t in flexible if stories[t.pk].status in {Status.GREEN, Status.YELLOW, Status.RED}
                 and not stories[t.pk].special]
        if hosts:
            stories[hosts[0].pk].special = special


def assign_units(actor, targets: list[Target], units, stories: dict[int, Story], today: dt.date) -> None:
    """Lead and cooperating units by the keyword table; a target naming one village is that
    village's, with the keyword's unit cooperating; villages named in a list cooperate."""
    for target in targets:
        lead_code, cooperating_codes = lead_for(
            [target.title, target.measure.head if target.measure else "", target.section.title]
        )
        lead = units[lead_code]
        cooperating = [units[c] for c in cooperating_codes]
        villages = _villages_named(target.title, units)
        if len(villages) == 1 and target.kind != Target.Kind.LEDGER:
            cooperating, lead = [lead, *cooperating], villages[0]
        else:
            cooperating += villages
        data = {"lead_unit": lead, "cooperating_units": [u for u in dict.fromkeys(cooperating) if u != lead]}
        story = stories.get(target.pk)
        if story and story.status == Status.NOT_STARTED:
            # Not started: the target's period begins next month (in December: on the last day).
            start = min((today.replace(day=28) + dt.timedelta(days=4)).replace(day=1), target.plan.year_end)
            if start > today and start.year == target.plan.year:
                data["start_date"] = start
        services.target_update(actor=actor, target=target, data=data)


def create_ledger_items(actor, specs: dict[int, tuple[LedgerSpec, list]], units) -> dict[int, list]:
    """Items are prepared by the supervisor while the plan is still a draft."""
    created: dict[int, list] = {}
    targets = {t.pk: t for t in Target.objects.filter(pk__in=specs).select_related("plan")}
    for target_id, (spec, items) in specs.items():
        target = targets[target_id]
        created[target_id] = []
        for order, (name, unit, amount) in enumerate(items):
            item = services.ledger_item_create(
                actor=actor, target=target,
                data={"name": name, "unit": unit, "note": spec.note, "order": order},
            )
            progress = spec.progress[order] if order < len(spec.progress) else WAITING
            created[target_id].append((item, progress, amount))
    return created


def _months(plan_year: int, today: dt.date) -> list[dt.date]:
    """First days of the months reported by `today`: the plan year's months before today's."""
    if today.year < plan_year:
        return []
    last = 12 if today.year > plan_year else today.month - 1
    return [dt.date(plan_year, m, 1) for m in range(1, last + 1)]


def _completion(status: Status, schedule: float) -> float:
    """Percent of the target to report so that the status on `today` is `status`."""
    if status == Status.DONE:
        return 100.0
    if status == Status.GREEN:
        return min(schedule + 8, 99.0)
    if status == Status.YELLOW:
        return max(schedule - 5, 0.0)
    return max(schedule - 25, 0.0)  # red


def _figure(target: Target, completion: float) -> tuple[Decimal | None, Decimal | None]:
    """(value, percent) for a report at `completion` percent of the target."""
    if _lower_is_better(target):
        return target.target_value or Decimal("0"), None
    if not target.has_value:
        return None, Decimal(round(completion))
    goal = target.target_value
    value = goal * Decimal(str(completion)) / 100
    if completion >= 100 and target.comparator == Target.Comparator.GT:
        value = goal * Decimal("1.05")
    places = Decimal("0.1") if target.unit == "%" or goal < 20 and target.unit not in {"个", "家", "人"} else Decimal(1)
    return value.quantize(places, rounding=ROUND_HALF_UP), None


def _ramp(target: Target, final: float, month: int, months: int) -> float:
    """Completion reported in the month-th of `months` months: amounts grow from nothing, rates
    (参保率, 覆盖率) start near where they end."""
    if target.kind == Target.Kind.RATIO:
        return final * (0.8 + 0.2 * month / months)
    return final * month / months


def _narrative(target: Target, period: dt.date, value, percent) -> str:
    label = target.indicator or target.title[:30]
    if value is not None and _lower_is_better(target):
        return f"截至{period.month}月底，{label}：实际为{value.normalize():f}，未突破目标要求。"
    if value is not None:
        return f"截至{period.month}月底，{label}累计完成{value.normalize():f}{target.unit}。"
    return f"截至{period.month}月底，{label}形象进度约{percent}%，各项工作按计划推进。"


def file_reports(targets, stories, reporters, supervisor, today: dt.date) -> int:
    """Monthly reports through last month, reviewed by the supervisor, shaped by each story."""
    count = 0
    for target in targets:
        story = stories.get(target.pk)
        months = _months(target.plan.year, today)
        if story is None or story.status == Status.NOT_STARTED or not months:
            continue
        reporter = reporters.get(target.lead_unit_id, supervisor)
        schedule = lights.schedule_progress(target.period_start, target.period_end, today, target.plan.progress_mode)
        final = _completion(story.status, schedule)
        # A standing returned/pending report sits on top of the accepted months.
        accepted_months = months[:-1] if story.special in {"returned", "pending"} else months
        behind = story.status in {Status.RED, Status.YELLOW}
        for i, period in enumerate(accepted_months, start=1):
            value, percent = _figure(target, _ramp(target, final, i, len(accepted_months)))
            last = i == len(accepted_months)
            if last and story.special == "corrected":
                wrong, wrong_pct = _figure(target, min(final * 1.3, 99.0))
                first = _submit(target, reporter, period, wrong, wrong_pct, today, behind)
                services.report_return(actor=supervisor, report=first,
                                       comment="完成值与台账记录不一致，请核实后重新填报。")
                _review_time(first)
                report = _submit(target, reporter, period, value, percent, today, behind, based_on=1,
                                 note="（已按审核意见核减重复统计的数据）")
                count += 1
            else:
                report = _submit(target, reporter, period, value, percent, today, behind)
            services.report_accept(actor=supervisor, report=report, comment="已核实。" if last else "")
            _review_time(report)
            count += 1
        if story.special in {"returned", "pending"}:
            value, percent = _figure(target, min(final + 10, 99.0))
            report = _submit(target, reporter, months[-1], value, percent, today, behind)
            count += 1
            if story.special == "returned":
                services.report_return(actor=supervisor, report=report,
                                       comment="本月数据与统计部门口径不一致，请附佐证材料后重新填报。")
                _review_time(report)
    return count


def _submit(target, reporter, period, value, percent, today, behind, based_on=None, note=""):
    report = services.report_submit(
        actor=reporter, target=target, period=period, value=value, percent=percent,
        narrative=_narrative(target, period, value, percent) + note,
        problems=PROBLEMS[target.pk % len(PROBLEMS)] if behind else "",
        next_steps="倒排工期、挂图作战，力争下月赶上序时进度。" if behind else "按计划继续推进。",
        based_on_version=based_on, today=today, is_demo=True,
    )
    _backdate(report, today)
    return report


def _backdate(report: ProgressReport, today: dt.date) -> None:
    """Demo history: a month's report was filed a few days after the month ended, not all today
    (the assessment counts late returns from these times)."""
    month_end = (report.period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    filed = min(month_end + dt.timedelta(days=2 + report.version), today)
    at = timezone.make_aware(dt.datetime.combine(filed, dt.time(10, report.target_id % 60)))
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)


def _review_time(report: ProgressReport) -> None:
    """Reviews follow two days after the (backdated) filing, never in the future."""
    at = min(ProgressReport.objects.get(pk=report.pk).submitted_at + dt.timedelta(days=2), timezone.now())
    ProgressReport.objects.filter(pk=report.pk).update(reviewed_at=at)


def update_ledgers(items: dict[int, list], reporters, supervisor, today: dt.date) -> None:
    """The lead unit's reporter records each item's progress; done items get dates spread over
    the part of the year already gone."""
    for entries in items.values():
        for n, (item, progress, amount) in enumerate(entries, start=1):
            target = item.target
            year_start = target.plan.year_start
            reporter = reporters.get(target.lead_unit_id, supervisor)
            data: dict = {}
            if amount is not None:
                data["amount"] = amount
            elapsed = (min(today, target.plan.year_end) - year_start).days
            if progress == DONE and elapsed > 1:
                data["status"] = DONE
                data["completed_on"] = year_start + dt.timedelta(days=elapsed * n // (len(entries) + 1))
            elif progress in {DONE, DOING}:
                data["status"] = DOING
            if data:
                services.ledger_item_update(actor=reporter, item=item, data=data)
