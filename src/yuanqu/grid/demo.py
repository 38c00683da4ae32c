"""Demo grids and a year of grid events for `yuanqu demo`.

Three grids under every demo village and community, each worked by that village's grid worker (三南村's
demo reporter 钱红 is one, with a login; the others are accounts without a password), routing rules
per class (small matters to the grid's own village), and some three thousand events over the year up
to the demo's today, each taken as far as its age allows: most answered within their limit, some late,
some refused, some failing verification, the newest still open — a few of them past their limit and
raised to a 督办单. The 社会事业局's demo reporter is also the command centre.

Fast: the steps run through the workflow's `replay` (every check, no writes), and the events, their
timelines, co-units and creation records are written in bulk (core.models.insert_many).
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.calendar import WorkCalendar
from yuanqu.core.history import new_change, record_changes, snapshot
from yuanqu.core.models import ChangeRecord, insert_many
from yuanqu.core.services import forget_history
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit, RoleAssignment, User

from . import categories, services
from .abilities import DISPATCHER, GRID_WORKER
from .models import (
    GRID_UNIT_KINDS,
    Action,
    EventCategory,
    EventStep,
    Grid,
    GridEvent,
    GridKind,
    RoutingRule,
    Severity,
    Source,
    State,
)

EVENTS = 3000  # the default of settings.YUANQU_DEMO_GRID_EVENTS
GRIDS_PER_UNIT = 3
# class code → the department that handles it; items routed elsewhere below.
CLASS_UNITS = {"security": "社会事业局", "safety": "安全生产监督管理和环境保护局", "city": "建设局",
               "environment": "安全生产监督管理和环境保护局", "livelihood": "社会事业局"}
ITEM_UNITS = {"illegal_building": "建设局", "dust": "建设局", "assistance": "社会事业局"}
OWN_UNIT = ("dispute", "garbage", "elderly", "facility", "street_stall")  # 小事不出格
CO_UNITS = {"fire": "建设局", "water": "农业农村局"}
TEXTS = {
    "dispute": ["邻里因宅基地界线发生争执", "租户与房东因押金发生纠纷"], "public_order": ["夜间有人聚集喧哗", "路口监控损坏"],
    "special_people": ["社区矫正人员外出未报告"], "crime": ["疑似有人非法收购废旧电缆"],
    "fire": ["楼道堆放杂物堵塞消防通道", "电动车在楼道内充电"], "production": ["厂区脚手架未设防护网", "仓库违规存放易燃品"],
    "gas": ["餐馆液化气瓶未固定"], "enforcement": ["企业拒不整改安全隐患"],
    "road": ["路面塌陷约两平方米", "窨井盖缺失"], "illegal_building": ["村民屋顶加盖彩钢棚"], "street_stall": ["集镇路口占道经营"],
    "demolition": ["已认定违建逾期未拆除"], "garbage": ["河边垃圾乱堆", "建筑垃圾随意倾倒"], "water": ["河道出现大片死鱼", "排污口排放黑水"],
    "dust": ["工地未覆盖裸土扬尘严重"], "monitoring": ["群众反映企业夜间排放异味，需检测"],
    "elderly": ["独居老人多日未出门", "高龄老人需要上门服务"], "assistance": ["困难家庭申请临时救助"], "facility": ["健身器材损坏", "路灯不亮"],
}
WEIGHTS = {"garbage": 8, "road": 6, "facility": 6, "dispute": 5, "fire": 5, "street_stall": 4, "elderly": 4,
           "illegal_building": 3, "water": 3, "dust": 3, "public_order": 3, "production": 3}


def clear_demo() -> None:
    ids = list(GridEvent.objects.filter(is_demo=True).values_list("pk", flat=True))
    grid_ids = list(Grid.objects.filter(is_demo=True).values_list("pk", flat=True))
    EventStep.objects.filter(grid_event__in=ids).delete()
    GridEvent.co_units.through.objects.filter(gridevent__in=ids).delete()
    GridEvent.objects.filter(pk__in=ids).delete()
    RoutingRule.objects.filter(Q(is_demo=True) | Q(unit__is_demo=True) | Q(area__is_demo=True)
                               | Q(grid__in=grid_ids)).delete()
    Grid.objects.filter(pk__in=grid_ids).delete()
    for model, pks in ((GridEvent, ids), (Grid, grid_ids)):
        forget_history(model, pks)


def _grant(user: User, role: str, unit: OrgUnit | None) -> None:
    if not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        org_services.role_assign(actor=None, user=user, role=role, unit=unit)
        user.forget_assignments()


def _workers(villages: list[OrgUnit]) -> dict[int, User]:
    """One grid worker per village or community: 三南村's demo reporter, else a login-less account."""
    found = {}
    reporter = User.objects.filter(is_demo=True, username="snc").first()
    for unit in villages:
        if reporter is not None and reporter.unit_id == unit.pk:
            _grant(reporter, GRID_WORKER, unit)
            found[unit.pk] = reporter
            continue
        found[unit.pk] = org_services.user_create(
            actor=None, username=f"grid-{unit.pk}", password=None, role=GRID_WORKER, unit=unit,
            full_name=f"{unit.name[:-1] if unit.name.endswith('村') else unit.name}网格员", is_demo=True)
    return found


def _grids(villages, workers) -> list[Grid]:
    grids = []
    for unit in villages:
        for n in range(1, GRIDS_PER_UNIT + 1):
            grids.append(services.grid_save(actor=None, grid=None, is_demo=True, data={
                "code": f"D{unit.pk:03d}-{n:02d}", "name": f"{unit.name}第{'一二三四'[n - 1]}网格", "unit": unit,
                "kind": GridKind.DEDICATED if unit.kind == OrgUnit.Kind.COMMUNITY and n == 3 else GridKind.COMPREHENSIVE,
                "households": 280 + 37 * n, "population": 820 + 95 * n, "leader": workers[unit.pk],
                "workers": [workers[unit.pk]]}))
    return grids


def _rules(named: dict[str, OrgUnit], cats: dict[str, EventCategory]) -> None:
    for code, name in CLASS_UNITS.items():
        if name in named and code in cats:
            services.routing_rule_save(actor=None, rule=None, is_demo=True, data={"category": cats[code], "unit": named[name]})
    for code, name in ITEM_UNITS.items():
        if name in named and code in cats:
            services.routing_rule_save(actor=None, rule=None, is_demo=True, data={
                "category": cats[code], "unit": named[name],
                "co_units": [named[CO_UNITS[code]]] if CO_UNITS.get(code) in named else []})
    for code in OWN_UNIT:
        if code in cats:
            services.routing_rule_save(actor=None, rule=None, is_demo=True, data={"category": cats[code], "own_unit": True})
    for code, name in CO_UNITS.items():
        if code in cats and name in named and code not in ITEM_UNITS:
            services.routing_rule_save(actor=None, rule=None, is_demo=True, data={
                "category": cats[code], "unit": named[CLASS_UNITS[cats[code].parent.code]], "co_units": [named[name]]})


def _handler(unit: OrgUnit, holders: dict[int, User], worker: User) -> User | None:
    return worker if unit.kind in GRID_UNIT_KINDS and unit.pk not in holders else holders.get(unit.pk)


def build_demo(*, today: dt.date) -> None:
    categories.load(apps.get_model)  # a database flushed since migrating (a test's) lacks the shipped tree
    villages = list(OrgUnit.objects.filter(is_demo=True, is_active=True, kind__in=GRID_UNIT_KINDS).order_by("path"))
    named = {u.name: u for u in OrgUnit.objects.filter(is_demo=True, is_active=True)}
    if not villages or not all(n in named for n in CLASS_UNITS.values()):
        return
    centre = User.objects.filter(is_demo=True, username="shsy").first()
    if centre is not None:
        _grant(centre, DISPATCHER, None)
    workers = _workers(villages)
    grids = _grids(villages, workers)
    cats = {c.code: c for c in EventCategory.objects.select_related("parent")}
    _rules(named, cats)
    _events(today, grids, workers, cats, centre)


def _events(today, grids, workers, cats, centre) -> None:
    rng = random.Random(20261204)
    rules = list(RoutingRule.objects.select_related("area", "unit").prefetch_related("co_units"))
    start = today - dt.timedelta(days=365)
    deadlines = services.Deadlines(calendar=WorkCalendar(start, today + dt.timedelta(days=60)))
    listed = {c.pk: c for c in cats.values() if c.negative_list}
    reporters = {a.unit_id: a.user for a in RoleAssignment.objects.filter(role="reporter", user__is_demo=True)
                 .select_related("user", "unit").order_by("pk")}
    leaves = [c for c in cats.values() if c.parent_id is not None and c.code in TEXTS]
    weights = [WEIGHTS.get(c.code, 1) for c in leaves]
    end = timezone.make_aware(dt.datetime.combine(today, dt.time(18)))
    events, steps, co_units = [], [], []
    count = settings.YUANQU_DEMO_GRID_EVENTS
    for n in range(count):
        grid = rng.choice(grids)
        worker = workers[grid.unit_id]
        category = rng.choices(leaves, weights)[0]
        # Later days have more events (the grid was rolled out over the year).
        day = start + dt.timedelta(days=int(365 * rng.random() ** 0.8))
        reported = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 19), rng.randint(0, 59))))
        if reported > end or n >= count - 20:  # the last ones came in this afternoon: still early on
            reported = end - dt.timedelta(minutes=rng.randint(5, 360))
        source = rng.choices(Source.values, [70, 15, 5, 10])[0]
        event = GridEvent(
            number=f"WG{reported:%Y}D{n + 1:05d}", category=category, grid=grid, source=source,
            severity=rng.choices(Severity.values, [85, 12, 3])[0], description=rng.choice(TEXTS[category.code]),
            address=f"{grid.unit.name}{rng.randint(1, 30)}组", reported_by=worker if source == Source.PATROL else centre,
            reported_at=reported, is_demo=True)
        rule = services.route(category, grid, rules)
        unit = rule.unit_for(grid) if rule else None
        plan = _plan(rng, unit)
        when = reported
        for action, hours, data in plan:
            when = when + dt.timedelta(hours=hours)
            if when > end:
                break
            actor = centre if action in ("accept", "reject", "dispatch", "verify", "close") else \
                worker if action in ("verify_fail",) else \
                _handler(event.assigned_unit or unit, reporters, worker) if action != "evaluate" else centre
            if action == "dispatch":
                data = {**data, "unit": unit, "co_units": list(rule.co_units.all()), "deadlines": deadlines,
                        "negative_list": listed}
            made, _changes = services.EVENT_FLOW.replay(event, [action], actor=actor, at=when, history=False, **data)
            steps += made
        events.append(event)
        if event.assigned_unit_id and rule is not None:
            co_units.append((event, [u.pk for u in rule.co_units.all()]))
    with transaction.atomic():
        GridEvent.objects.bulk_create(events, batch_size=500)
        insert_many(steps)
        through = GridEvent.co_units.through
        through.objects.bulk_create([through(gridevent_id=e.pk, orgunit_id=u) for e, units in co_units for u in units])
        record_changes(new_change(actor=e.reported_by, obj=e, action=ChangeRecord.Action.CREATE,
                                  after=snapshot(e, (*GridEvent.WRITABLE_FIELDS, "state"), with_m2m=False),
                                  note="演示数据") for e in events)
    # A few long-overdue events are raised to a 督办单 (through the supervision app's offered service).
    late = [e for e in events if e.state in (State.SIGNED, State.HANDLING) and e.due_at and e.due_at < end]
    for event in late[:4]:
        services.event_step(actor=centre, event=event.pk, action=Action.RAISE, at=end,
                            deadline=today + dt.timedelta(days=20), comment="逾期未处置，提请督办")


def _plan(rng: random.Random, unit: OrgUnit | None) -> list[tuple[str, float, dict]]:
    """The steps an event takes, each some hours after the one before."""
    if unit is None or rng.random() < 0.04:
        return [("reject", rng.uniform(1, 20), {"comment": "重复上报，已合并处理"})]
    fast = rng.random() < 0.85
    plan = [("accept", rng.uniform(0.2, 6), {}), ("dispatch", rng.uniform(0.2, 3), {}),
            ("sign", rng.uniform(0.5, 20), {}), ("handle", rng.uniform(0.5, 12), {"comment": "已安排人员现场处置"}),
            ("feedback", rng.uniform(4, 40) if fast else rng.uniform(80, 300), {"comment": "已处置完毕，现场恢复"})]
    if rng.random() < 0.08:
        plan += [("verify_fail", rng.uniform(2, 24), {"comment": "现场核查仍未整改到位"}),
                 ("feedback", rng.uniform(4, 48), {"comment": "已再次处置"})]
    plan += [("verify", rng.uniform(2, 24), {}), ("close", rng.uniform(1, 24), {})]
    if rng.random() < 0.7:
        plan.append(("evaluate", rng.uniform(4, 72), {"satisfaction": rng.choices([5, 4, 3, 2], [55, 30, 10, 5])[0]}))
    return plan


# ---------------------------------------------------------------- at scale (`yuanqu demo --size large`, bench/)

BULK_CHUNK = 10_000


def bulk_events(*, grids: list[Grid], units: list[OrgUnit], count: int, start: int, first: dt.datetime,
                days: int, seed: int, prefix: str = "B", is_demo: bool = False) -> int:
    """`count` events reported over `days` days from `first`, numbered `prefix` + their index from
    `start`, written as the services would leave them (time limits, answers, states; no timeline
    steps: only the lists and figures read these). In chunks of 10,000 rows, each one executemany
    in one transaction (outside one, SQLite syncs the disk after every row), so memory stays flat."""
    leaves = list(EventCategory.objects.filter(parent__isnull=False))
    rng = random.Random(seed)
    rows = []
    minutes = days * 24 * 60
    for k in range(start, start + count):
        reported = first + dt.timedelta(minutes=rng.randint(0, minutes))
        dispatched = reported + dt.timedelta(hours=rng.uniform(0.5, 8))
        due = dispatched + dt.timedelta(days=rng.choice([1, 3, 5, 7]))
        answered = dispatched + dt.timedelta(days=rng.uniform(0.2, 9))
        state = rng.choices(["reported", "dispatched", "handling", "fed_back", "closed", "evaluated"],
                            [2, 3, 5, 5, 40, 45])[0]
        done = state in ("fed_back", "closed", "evaluated")
        rows.append(GridEvent(
            number=f"{prefix}{k:08d}", category=rng.choice(leaves), grid=rng.choice(grids), description="事件",
            reported_at=reported, state=state, assigned_unit=None if state == "reported" else rng.choice(units),
            dispatched_at=None if state == "reported" else dispatched, due_at=None if state == "reported" else due,
            fed_back_at=answered if done else None, satisfaction=rng.randint(1, 5) if state == "evaluated" else None,
            closed_at=answered + dt.timedelta(days=1) if state in ("closed", "evaluated") else None,
            is_demo=is_demo))
        if len(rows) == BULK_CHUNK:
            with transaction.atomic():
                insert_many(rows)
            rows = []
    with transaction.atomic():
        insert_many(rows)
    return count


def grow(*, today: dt.date, count: int) -> int:
    """The large demo's grid events on top of the demo's: `count` more over the year up to `today`,
    handled by the demo's departments and villages, on the demo's grids."""
    grids = list(Grid.objects.filter(is_demo=True))
    units = list(OrgUnit.objects.filter(is_demo=True, is_active=True,
                                        kind__in=[OrgUnit.Kind.DEPARTMENT, *GRID_UNIT_KINDS]))
    if not grids or not units or count <= 0:
        return 0
    first = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time(8)))
    return bulk_events(grids=grids, units=units, count=count, start=0, first=first, days=364, seed=20261205,
                       prefix="L", is_demo=True)

