"""Stored lights: a target's status today and at each past month's end, kept true.

`plans.status` stays the one definition; this module only stores what it says, so lists filter,
sort, count and paginate in the database instead of evaluating every target on every page.

- `Target.status` (with `completion`, `schedule`, `gap`) is the light on `Target.status_on`;
- `TargetMonthStatus` is the light at the end of each month of the plan year that has ended.

They are refreshed in the writing transaction (signals below: a report accepted or returned, a
ledger item, a metric snapshot, a target saved, a plan's light rule changed), by the daily job
(`yuanqu statuses`, the elapsed share moves every day) and, as a safety net, by `ensure_fresh`
before a page reads them: rows computed for another day (a missed job, a bulk load) and bound
targets (their register changes without plans knowing) are re-evaluated first, written only when
they differ. `yuanqu statuses --check` recomputes everything through `selectors.target_facts` (a
path independent of the one `refresh` uses) and lists any difference; there must be none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_init, post_save

from yuanqu.core import clock
from yuanqu.core.periods import month_end, report_months

from . import status as lights
from .models import LedgerItem, MetricSnapshot, Plan, ProgressReport, Target, TargetMonthStatus

CHUNK = 2000
FIGURES = ("status", "completion", "schedule", "gap")
_local = threading.local()


def month_ends(year: int, today: dt.date) -> list[dt.date]:
    """The ends of the plan year's months that have ended before `today`."""
    return [month_end(m) for m in report_months(year, today) if month_end(m) < today]


def _figures(evaluation: lights.Evaluation) -> dict:
    return {"status": evaluation.status.value, "completion": evaluation.completion,
            "schedule": evaluation.schedule, "gap": evaluation.gap}


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _targets(ids: list[int]) -> list[Target]:
    return list(Target.objects.alive().filter(pk__in=ids).select_related("plan")
                .defer("plan__source_text", "as_written").order_by("pk"))


# ---------------------------------------------------------------- writing


@contextlib.contextmanager
def batch():
    """Collect the targets to refresh and refresh them once at the end (imports, bulk edits)."""
    outer = getattr(_local, "pending", None)
    if outer is not None:
        yield
        return
    _local.pending = set()
    try:
        yield
        ids = _local.pending
    finally:
        _local.pending = None
    if ids:
        refresh(ids)


def batched(func):
    """Run `func` in a batch (put under @transaction.atomic: the refresh joins its transaction)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with batch():
            return func(*args, **kwargs)

    return wrapper


def mark(ids: Iterable[int]) -> None:
    """These targets' inputs changed: refresh now, or at the end of the running batch."""
    ids = [i for i in ids if i is not None]
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.update(ids)
    elif ids:
        refresh(ids)


def refresh(target_ids: Iterable[int], today: dt.date | None = None, *, months: bool = True) -> int:
    """Recompute and store the lights of these (alive) targets for `today`; returns how many
    targets' figures or month-ends changed. Writes only what differs (the day moves `status_on`
    for all in one UPDATE). `months=False` leaves the stored month ends alone (they change only
    with a write the plans app hears of, or a new day)."""
    from .selectors import evaluations_at

    today = today or clock.today()
    changed: set[int] = set()
    for chunk in _chunks(sorted(set(target_ids))):
        by_year: dict[int, list[Target]] = defaultdict(list)
        for t in _targets(chunk):
            by_year[t.plan.year].append(t)
        for year, group in by_year.items():
            cutoffs = month_ends(year, today) if months else []
            *past, current = evaluations_at(group, [*cutoffs, today])
            changed |= _write_current(group, current, today)
            if months:
                changed |= _write_months(group, cutoffs, past)
    return len(changed)


def _write_current(group: list[Target], evaluations: dict, today: dt.date) -> set[int]:
    moved, dated = [], []
    for t in group:
        new = _figures(evaluations[t.pk])
        if any(getattr(t, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(t, k, v)
            t.status_on = today
            moved.append(t)
        elif t.status_on != today:
            dated.append(t.pk)
    if moved:
        Target.objects.bulk_update(moved, [*FIGURES, "status_on"], batch_size=500)
    for chunk in _chunks(dated):
        Target.objects.filter(pk__in=chunk).update(status_on=today)
    return {t.pk for t in moved}


def _write_months(group: list[Target], cutoffs: list[dt.date], evaluations: list[dict]) -> set[int]:
    ids = [t.pk for t in group]
    months = [c.replace(day=1) for c in cutoffs]
    existing = {(r.target_id, r.month): r for r in TargetMonthStatus.objects.filter(target_id__in=ids)}
    create, update = [], []
    for month, evs in zip(months, evaluations, strict=True):
        for t in group:
            new = _figures(evs[t.pk])
            row = existing.pop((t.pk, month), None)
            if row is None:
                create.append(TargetMonthStatus(target_id=t.pk, month=month, **new))
            elif any(getattr(row, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(row, k, v)
                update.append(row)
    if existing:  # months not ended any more (a clock set back) or of another year
        TargetMonthStatus.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    TargetMonthStatus.objects.bulk_create(create, batch_size=1000)
    TargetMonthStatus.objects.bulk_update(update, list(FIGURES), batch_size=500)
    return {r.target_id for r in [*create, *update, *existing.values()]}


def refresh_all(today: dt.date | None = None) -> tuple[int, int]:
    """The daily job: every alive target. Returns (targets, targets changed)."""
    ids = list(Target.objects.alive().values_list("pk", flat=True))
    return len(ids), refresh(ids, today)


def ensure_fresh(targets, today: dt.date | None = None) -> None:
    """Before a page reads stored lights of `targets` (a queryset): bring up to date the rows not
    computed for today, and re-read the bound targets (`refresh_bound`). One query when all is
    fresh and the bound ones were re-read within YUANQU_BOUND_REFRESH_SECONDS."""
    today = today or clock.today()
    stale = list(
        targets.order_by().filter(deleted_at__isnull=True)
        .filter(Q(status_on__isnull=True) | ~Q(status_on=today))
        .values_list("pk", flat=True)
    )
    if stale:
        refresh(stale, today)
    if _bound_due(today):
        refresh_bound(today)


def refresh_bound(today: dt.date | None = None) -> int:
    """Re-read every alive bound target's light today: its register changes without plans knowing.
    Only today's light: past month ends come from the metric snapshots, whose writes refresh them
    (and the daily job), not from the live value."""
    today = today or clock.today()
    rows = list(Target.objects.alive().exclude(metric="").values_list("pk", "status_on"))
    changed = refresh([pk for pk, on in rows if on != today], today)
    return changed + refresh([pk for pk, on in rows if on == today], today, months=False)


def _bound_due(today: dt.date) -> bool:
    """Whether the bound targets are due a re-read: at most once every YUANQU_BOUND_REFRESH_SECONDS
    (in the shared cache, so one request of all the workers does it), since re-reading every
    register's live figure on every page costs more than the rest of the page at a city's scale.
    A register's change shows on the lists within that time; a target's own page reads it live."""
    seconds = settings.YUANQU_BOUND_REFRESH_SECONDS
    return seconds <= 0 or cache.add(f"plans:bound-read:{today.isoformat()}", True, timeout=seconds)


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class Difference:
    target_id: int
    month: dt.date | None  # None: today's light
    stored: dict | None
    computed: dict | None

    def __str__(self) -> str:
        when = f"{self.month:%Y-%m}月末" if self.month else "今日"
        return f"目标#{self.target_id} {when}：存储 {self.stored}，重算 {self.computed}"


def check(today: dt.date | None = None) -> list[Difference]:
    """Recompute every alive target's light today and at each past month end, through
    `selectors.target_facts` (not the path `refresh` takes), and list what the stored ones say
    differently."""
    from .selectors import target_facts

    today = today or clock.today()
    refresh_bound(today)  # the pages re-read them at most every YUANQU_BOUND_REFRESH_SECONDS
    differences: list[Difference] = []
    ids = list(Target.objects.alive().order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        targets = _targets(chunk)
        now = target_facts(targets, today)
        for t in targets:
            stored = {k: getattr(t, k) for k in FIGURES}
            computed = _figures(now[t.pk].evaluation)
            if stored != computed or t.status_on != today:
                differences.append(Difference(t.pk, None, {**stored, "status_on": t.status_on}, computed))
        rows = {(r.target_id, r.month): {k: getattr(r, k) for k in FIGURES}
                for r in TargetMonthStatus.objects.filter(target_id__in=chunk)}
        by_year: dict[int, list[Target]] = defaultdict(list)
        for t in targets:
            by_year[t.plan.year].append(t)
        for year, group in by_year.items():
            for cutoff in month_ends(year, today):
                month = cutoff.replace(day=1)
                facts = target_facts(group, cutoff)
                for t in group:
                    computed = _figures(facts[t.pk].evaluation)
                    stored = rows.pop((t.pk, month), None)
                    if stored != computed:
                        differences.append(Difference(t.pk, month, stored, computed))
        differences += [Difference(tid, month, stored, None) for (tid, month), stored in rows.items()]
    return differences


# ---------------------------------------------------------------- what changes a light


def _report_saved(sender, instance: ProgressReport, **kwargs) -> None:
    if instance.review != ProgressReport.Review.PENDING:  # a pending report counts for nothing yet
        mark([instance.target_id])


def _target_input_changed(sender, instance, **kwargs) -> None:
    mark([instance.target_id])


def _target_saved(sender, instance: Target, raw=False, **kwargs) -> None:
    if not raw and instance.deleted_at is None:
        mark([instance.pk])


RULE_FIELDS = ("progress_mode", "gap_basis", "green_band", "yellow_band")


def _plan_loaded(sender, instance: Plan, **kwargs) -> None:
    deferred = instance.get_deferred_fields()
    instance._loaded_rule = None if deferred & set(RULE_FIELDS) else _rule(instance)


def _rule(plan: Plan) -> tuple:
    return tuple(str(getattr(plan, f)) for f in RULE_FIELDS)


def _plan_saved(sender, instance: Plan, created=False, raw=False, **kwargs) -> None:
    loaded = getattr(instance, "_loaded_rule", None)
    if created or raw or loaded is None:
        return
    if loaded != _rule(instance):
        instance._loaded_rule = _rule(instance)
        mark(Target.objects.alive().filter(plan=instance).values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_report_saved, sender=ProgressReport, dispatch_uid="stored.report")
    post_delete.connect(_target_input_changed, sender=ProgressReport, dispatch_uid="stored.report_gone")
    for model in (LedgerItem, MetricSnapshot):
        post_save.connect(_target_input_changed, sender=model, dispatch_uid=f"stored.{model.__name__}")
        post_delete.connect(_target_input_changed, sender=model, dispatch_uid=f"stored.{model.__name__}_gone")
    post_save.connect(_target_saved, sender=Target, dispatch_uid="stored.target")
    post_init.connect(_plan_loaded, sender=Plan, dispatch_uid="stored.plan_loaded")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="stored.plan")
