"""`yuanqu demo --size large`: the demo zone at a large zone's scale, for benchmarks and load tests.

On top of the ordinary demo (plans.demo), brought up to these totals: the demo plan's targets
(spread over its sections, the demo's units and several kinds, a fifth with cooperating units)
with a monthly report for every month of the plan year up to the demo's today — mostly accepted,
some of the latest month pending review or returned, a few never filed — and, where the register
apps are installed, enterprises, major projects and grid events (each app's `demo.grow`).

Everything is written in bulk (core.models.insert_many, a chunk a transaction), seeded so two
builds are the same, and marked is_demo. Neither the services nor their signals run, so the
stored lights are brought up to date at the end (plans.stored.refresh_all) — `yuanqu statuses
--check` is clean afterwards. Bench scripts (bench/pages.py, bench/load.py) call `build` too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.models import insert_many
from yuanqu.core.periods import month_end
from yuanqu.org import roles
from yuanqu.org.models import OrgUnit, RoleAssignment, User

from . import demo, stored
from . import status as lights
from .models import Plan, ProgressReport, Target


@dataclasses.dataclass(frozen=True)
class Size:
    """Totals the large demo reaches (the ordinary demo's rows count toward them)."""

    targets: int = 10_000
    enterprises: int = 20_000
    projects: int = 5_000
    grid_events: int = 200_000

    def scaled(self, factor: float) -> Size:
        return Size(**{f.name: max(1, round(getattr(self, f.name) * factor)) for f in dataclasses.fields(self)})


LARGE = Size()
CHUNK = 1000
# (kind, comparator, target value, unit, milestone): the kinds a zone's plan holds, in proportion.
KINDS = [
    (Target.Kind.QUANTITY, ">=", Decimal(100), "个", ""),
    (Target.Kind.QUANTITY, ">=", Decimal(50), "亿元", ""),
    (Target.Kind.QUANTITY, ">=", Decimal(1200), "亩", ""),
    (Target.Kind.RATIO, ">=", Decimal(95), "%", ""),
    (Target.Kind.MILESTONE, "", None, "", "完成"),
    (Target.Kind.QUANTITY, "<=", Decimal(3), "起", ""),  # lower is better (accidents)
]
KIND_WEIGHTS = [30, 15, 10, 20, 20, 5]
STATUS_WEIGHTS = {lights.Status.GREEN: 45, lights.Status.YELLOW: 20, lights.Status.RED: 15, lights.Status.DONE: 12}
# Of each target's latest month: waits for review, was returned, was never filed.
PENDING, RETURNED, MISSING = 0.04, 0.02, 0.03

Progress = Callable[[str], None]


def build(*, today: dt.date, size: Size = LARGE, progress: Progress | None = None) -> dict[str, int]:
    """Grow the demo (already built) to `size`; returns what was added, by name."""
    say = _timed(progress)
    added = dict(zip(("targets", "reports"), grow_targets(
        today=today, count=size.targets - _demo_targets().count(), progress=say), strict=True))
    registers = [("enterprises", "enterprises.Enterprise", size.enterprises, "企业 {} 家"),
                 ("projects", "projects.Project", size.projects, "重大项目 {} 个"),
                 ("grid_events", "grid.GridEvent", size.grid_events, "网格事件 {} 件")]
    for name, label, total, words in registers:
        app, model = label.split(".")
        if not apps.is_installed(f"yuanqu.{app}"):
            continue
        count = max(0, total - apps.get_model(app, model).objects.filter(is_demo=True).count())
        say("正在生成" + words.format(count))
        kwargs = {"progress": lambda n, words=words: say("已生成" + words.format(n))} if app == "enterprises" else {}
        added[name] = import_module(f"yuanqu.{app}.demo").grow(today=today, count=count, **kwargs)
    say("正在刷新全部目标的红黄绿灯")
    with transaction.atomic():
        stored.refresh_all(clock.today())
    say("完成")
    return added


def _timed(progress: Progress | None) -> Progress:
    started = time.monotonic()

    def say(message: str) -> None:
        if progress:
            progress(f"[{time.monotonic() - started:6.1f} 秒] {message}")

    return say


def _demo_targets():
    return Target.objects.alive().filter(plan__is_demo=True)


def grow_targets(*, today: dt.date, count: int, progress: Progress | None = None) -> tuple[int, int]:
    """`count` more targets in the demo plan, each with its year of monthly reports: (targets, reports)."""
    plan = Plan.objects.filter(is_demo=True).first()
    if plan is None or count <= 0:
        return 0, 0
    rng = random.Random(20261205)
    sections = list(plan.sections.order_by("order"))
    units = list(OrgUnit.objects.filter(is_demo=True, is_active=True).exclude(kind=OrgUnit.Kind.COMMITTEE)
                 .order_by("pk"))
    reporters = {a.unit_id: a.user for a in RoleAssignment.objects.filter(role=roles.REPORTER, user__is_demo=True)
                 .select_related("user").order_by("pk")}
    supervisor = User.objects.get(is_demo=True, username="supervisor")
    months = demo._months(plan.year, today)
    order = plan.targets.count()
    through = Target.cooperating_units.through
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    done = filed = 0
    while done < count:
        targets = []
        for n in range(done, min(done + CHUNK, count)):
            kind, comparator, value, unit, milestone = rng.choices(KINDS, KIND_WEIGHTS)[0]
            section = sections[n % len(sections)]
            targets.append(Target(
                plan=plan, section=section, lead_unit=rng.choice(units), kind=kind, comparator=comparator,
                target_value=value, unit=unit, milestone=milestone, order=order + n + 1, is_demo=True,
                title=f"{section.title[:12]}·年度工作目标{n + 1:05d}", indicator=f"工作目标{n + 1:05d}"))
        with transaction.atomic():
            insert_many(targets, ids=True)
            insert_many(through(target_id=t.pk, orgunit_id=rng.choice(units).pk)
                        for t in targets if rng.random() < 0.2)
            reports = []
            for target in targets:
                target.plan = plan
                reports += _reports(target, months, rng.choices(statuses, status_weights)[0], rng, today,
                                    reporters.get(target.lead_unit_id, supervisor), supervisor)
            filed += insert_many(reports)
            _backdate([t.pk for t in targets], months, today)
        done += len(targets)
        if progress:
            progress(f"已生成目标 {done} 个，进度报告 {filed} 份")
    return done, filed


def _reports(target: Target, months: list[dt.date], status, rng: random.Random, today: dt.date,
             reporter: User, supervisor: User) -> list[ProgressReport]:
    """The target's monthly reports, ramping to what makes `status` its light on `today`."""
    schedule = lights.schedule_progress(target.period_start, target.period_end, today, target.plan.progress_mode)
    final = demo._completion(status, schedule)
    latest = rng.random()
    shown = months[:-1] if latest < MISSING else months
    made = []
    for i, period in enumerate(shown, start=1):
        value, percent = demo._figure(target, demo._ramp(target, final, i, len(months)))
        review = ProgressReport.Review.ACCEPTED
        if i == len(months) and latest >= 1 - PENDING:
            review = ProgressReport.Review.PENDING
        elif i == len(months) and latest >= 1 - PENDING - RETURNED:
            review = ProgressReport.Review.RETURNED
        reviewed = review != ProgressReport.Review.PENDING
        made.append(ProgressReport(
            target=target, period=period, value=value, percent=percent, submitted_by=reporter, review=review,
            narrative=demo._narrative(target, period, value, percent), is_demo=True,
            reviewed_by=supervisor if reviewed else None, reviewed_at=_filed(period, today, 2) if reviewed else None,
            review_comment="请补充佐证材料后重新填报。" if review == ProgressReport.Review.RETURNED else ""))
    return made


def _filed(period: dt.date, today: dt.date, later: int = 0) -> dt.datetime:
    """A month's report is filed three days after the month ends (never after today); reviewed later."""
    day = min(month_end(period) + dt.timedelta(days=3 + later), today)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _backdate(target_ids: list[int], months: list[dt.date], today: dt.date) -> None:
    """insert_many stamps submitted_at now (auto_now_add): a month's reports go back to their filing day."""
    for period in months:
        ProgressReport.objects.filter(target_id__in=target_ids, period=period).update(submitted_at=_filed(period, today))


def light_counts() -> dict[lights.Status, int]:
    """The demo plan's targets by stored light (counted in the database: evaluating 10,000 targets
    again only to print a line would take longer than the lights did)."""
    counts = {s: 0 for s in lights.Status}
    for status, n in _demo_targets().values_list("status").annotate(n=Count("pk")).order_by():
        counts[lights.Status(status)] += n
    return counts
