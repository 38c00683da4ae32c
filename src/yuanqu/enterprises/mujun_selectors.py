"""Reads of the 亩均效益 evaluation: schemes and runs for the readers of the register, a run's
results filtered by class and pool, one enterprise's explanation, its class history, and the
policies that follow each class. Every page is a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import MujunAdjustment, MujunPolicy, MujunResult, MujunRun, MujunScheme


def may_read_runs(user) -> bool:
    return user.can("enterprises.read")


def schemes(user) -> QuerySet[MujunScheme]:
    return MujunScheme.objects.visible_to(user).annotate(run_count=Count("runs")).order_by("-year", "name", "pk")


def runs(user) -> QuerySet[MujunRun]:
    # The snapshot is large (a column per figure for every enterprise): never read for a list.
    return (MujunRun.objects.visible_to(user)
            .select_related("scheme", "created_by", "signed_by", "published_by", "previous")
            .defer("snapshot", "previous__snapshot", "previous__frozen_scheme").order_by("-year", "-pk"))


def run_for(user, pk: int) -> MujunRun:
    return get_object_or_404(runs(user), pk=pk)


@dataclass(frozen=True)
class ResultFilters:
    class_key: str = ""
    pool: str = ""

    def labels(self) -> list[str]:
        return ([f"类别：{self.class_key}"] if self.class_key else []) + ([f"评价组：{self.pool}"] if self.pool else [])


def parse_result_filters(run: MujunRun, params) -> ResultFilters:
    """The run page's filters; a class or pool the run does not have is ignored."""
    class_key = params.get("class") or ""
    pool = params.get("pool") or ""
    return ResultFilters(class_key if class_key in run.class_keys else "",
                         pool if pool in {key for key, _ in run.pools()} else "")


def run_results(run: MujunRun, filters: ResultFilters) -> QuerySet[MujunResult]:
    """A run's results (without their explanations), best first within each class."""
    qs = (MujunResult.objects.filter(run=run).select_related("enterprise__liaison_unit")
          .defer("lines", "adjustments", "explanation"))
    if filters.class_key:
        qs = qs.filter(class_key=filters.class_key)
    if filters.pool:
        qs = qs.filter(pool=filters.pool)
    return qs.order_by("class_key", "pool", "place", "enterprise__name", "pk")


def class_counts(run: MujunRun) -> list[tuple[str, str, int]]:
    """(class, label, enterprises) in the scheme's order, the excluded class last."""
    totals: dict[str, int] = defaultdict(int)
    for key, value in run.counts.items():
        if isinstance(value, dict):
            for class_key, n in value.items():
                totals[class_key] += n
        else:
            totals[key] += value
    labels = run.class_labels()
    return [(key, labels[key], totals.get(key, 0)) for key in run.class_keys]


def movement(run: MujunRun, result: MujunResult) -> str:
    """"up", "down", "same", "new" (not in the previous run) or "" (no previous run)."""
    if run.previous_id is None:
        return ""
    if not result.previous_class:
        return "new"
    order = run.class_keys[:-1]  # the excluded class has no rank
    if result.previous_class == result.class_key:
        return "same"
    if result.previous_class in order and result.class_key in order:
        return "up" if order.index(result.class_key) < order.index(result.previous_class) else "down"
    return "changed"


def movement_matrix(run: MujunRun) -> list[tuple[str, list[int]]] | None:
    """Enterprises by (class in the previous published run, class now), one query: rows are the
    previous classes (then "" for those not in it), columns the run's classes. None without a
    previous run."""
    if run.previous_id is None:
        return None
    counts = {(prev, now): n for prev, now, n in MujunResult.objects.filter(run=run)
              .values_list("previous_class", "class_key").annotate(n=Count("pk")).order_by()}
    keys = run.class_keys
    rows = [(prev, [counts.get((prev, now), 0) for now in keys]) for prev in [*keys, ""]]
    return [row for row in rows if any(row[1])]


def policies_by_class(keys=None) -> dict[str, list[MujunPolicy]]:
    qs = MujunPolicy.objects.filter(is_active=True).order_by("class_key", "order", "pk")
    if keys is not None:
        qs = qs.filter(class_key__in=list(keys))
    out: dict[str, list[MujunPolicy]] = defaultdict(list)
    for policy in qs:
        out[policy.class_key].append(policy)
    return dict(out)


def results_visible_to(user) -> QuerySet[MujunResult]:
    """The readers of the register see every run's results; the members of an enterprise's 挂钩
    unit see its published ones."""
    qs = MujunResult.objects.visible_to(user)
    if not may_read_runs(user):
        qs = qs.filter(run__status=MujunRun.Status.PUBLISHED)
    return qs


def result_for(user, pk: int) -> MujunResult:
    return get_object_or_404(results_visible_to(user).select_related(
        "enterprise__industry", "run__scheme", "run__signed_by", "run__published_by").defer("run__snapshot"), pk=pk)


def class_history(user, enterprise) -> list[MujunResult]:
    """The enterprise's classes in published runs (newest first); readers of the register also
    see drafts and signed runs, marked."""
    qs = results_visible_to(user).filter(enterprise=enterprise)
    return list(qs.select_related("run__scheme").defer("run__snapshot", "run__frozen_scheme", "lines",
                                                         "adjustments", "explanation")
                .order_by("-run__year", "-run__pk"))


def latest_published(on=None) -> MujunRun | None:
    qs = MujunRun.objects.filter(status=MujunRun.Status.PUBLISHED)
    if on is not None:
        qs = qs.filter(Q(published_at__date__lte=on))
    return qs.defer("snapshot").order_by("-year", "-published_at", "-pk").first()


def adjustment_entries(user, scheme: MujunScheme) -> QuerySet[MujunAdjustment]:
    """A scheme's bonus and deduction entries the user may read, one query."""
    return (MujunAdjustment.objects.visible_to(user).filter(scheme=scheme)
            .select_related("enterprise", "created_by").order_by("enterprise__name", "item", "pk"))


def adjustment_for(user, pk: int) -> MujunAdjustment:
    """An entry for the register's readers; for the members of the enterprise's 挂钩 unit only once
    a published result carries it (as results_visible_to: nothing of a draft or a withdrawn entry)."""
    entry = get_object_or_404(MujunAdjustment.objects.visible_to(user).select_related("scheme"), pk=pk)
    if not may_read_runs(user):
        published = MujunResult.objects.filter(
            run__scheme_id=entry.scheme_id, enterprise_id=entry.enterprise_id,
            run__status=MujunRun.Status.PUBLISHED).values_list("adjustments", flat=True)
        if not any(e.get("id") == entry.pk for lines in published for line in lines for e in line.get("evidence", [])):
            raise Http404
    return entry
