"""Live figures of the enterprise register for the plan: new 规上 enterprises, enterprises that
moved up a 上台阶 step, and the count of a tag (专精特新“小巨人” …).

Each honours its date: 规上 counts from the admission date, a tag from its 认定日期, a tier from
the figure versions recorded by that date (a later correction does not rewrite a past month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from yuanqu.core.metrics import Param, register

from .models import Enterprise, EnterpriseTag, EnterpriseTagging, MujunResult, MujunRun
from .selectors import active_steps, moved_up_counts

YEAR = Param("year", "年度", "int")
TAG = Param("tag", "标签名称（如 专精特新“小巨人”）", "str",
            exists=lambda v: EnterpriseTag.objects.filter(name=str(v).strip()).exists())


@register("enterprises.new_above_scale", label="新增规上企业", unit="家", params=[YEAR])
def new_above_scale(params_list, on: dt.date):
    """当年截至当日纳入规上的企业数（小升规，按纳入规上日期）。"""
    years = {p["year"] for p in params_list}
    rows = dict(Enterprise.objects.filter(above_scale_since__lte=on, above_scale_since__year__in=years)
                .values_list("above_scale_since__year").annotate(n=Count("pk")))
    return [Decimal(rows.get(p["year"], 0)) for p in params_list]


@register("enterprises.moved_up", label="上台阶企业", unit="家", params=[YEAR])
def moved_up(params_list, on: dt.date):
    """当年数据（截至当日录入的版本）达到的上台阶梯队高于上年的企业数。"""
    counts = moved_up_counts({p["year"] for p in params_list}, active_steps(), as_of=on)
    return [Decimal(counts[p["year"]]) for p in params_list]


@register("enterprises.tagged", label="某标签企业数", unit="家", params=[TAG])
def tagged(params_list, on: dt.date):
    """截至当日已认定该标签的企业数（如专精特新“小巨人”、高新技术企业）。"""
    rows = dict(EnterpriseTagging.objects.filter(since__lte=on).values_list("tag__name").annotate(n=Count("pk")))
    return [Decimal(rows.get(str(p["tag"]).strip(), 0)) for p in params_list]


# ---------------------------------------------------------------- 亩均效益

RUN_YEAR = Param("year", "评价年度（不填为截至当日最近发布的评价）", "int", required=False)


def _published(params_list, on: dt.date) -> list[MujunRun | None]:
    """For each params, the run published by `on` for its evaluation year (else the latest one)."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    runs = list(MujunRun.objects.filter(status=MujunRun.Status.PUBLISHED, published_at__lt=end)
                .defer("snapshot").order_by("-year", "-published_at", "-pk"))
    out = []
    for p in params_list:
        year = p.get("year")
        out.append(next((r for r in runs if year is None or r.year == year), None))
    return out


def _class_counts(runs) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    rows = (MujunResult.objects.filter(run__in=[r.pk for r in runs if r]).values_list("run", "class_key")
            .annotate(n=Count("pk")))
    for run_id, key, n in rows:
        counts.setdefault(run_id, {})[key] = n
    return counts


@register("enterprises.mujun_top_share", label="亩均评价A类企业占比", unit="%", params=[RUN_YEAR])
def mujun_top_share(params_list, on: dt.date):
    """最近发布的亩均评价中，第一类（A类）企业占参评企业（不含不参评的T类）的百分比。"""
    runs = _published(params_list, on)
    counts = _class_counts(runs)
    out = []
    for run in runs:
        if run is None:
            out.append(None)
            continue
        keys = run.class_keys
        evaluated = sum(counts.get(run.pk, {}).get(k, 0) for k in keys[:-1])
        top = counts.get(run.pk, {}).get(keys[0], 0)
        out.append((Decimal(top) * 100 / evaluated).quantize(Decimal("0.01")) if evaluated else None)
    return out


@register("enterprises.mujun_bottom_count", label="亩均评价D类企业数", unit="家", params=[RUN_YEAR])
def mujun_bottom_count(params_list, on: dt.date):
    """最近发布的亩均评价中，最后一类（D类）企业数。"""
    runs = _published(params_list, on)
    counts = _class_counts(runs)
    return [None if run is None else Decimal(counts.get(run.pk, {}).get(run.class_keys[-2], 0)) for run in runs]


TAX_PER_MU = "亩均税收"


@register("enterprises.mujun_mean_tax_per_mu", label="参评企业平均亩均税收", unit="万元/亩", params=[RUN_YEAR])
def mujun_mean_tax_per_mu(params_list, on: dt.date):
    """最近发布的亩均评价中，有“亩均税收”值的参评企业的平均值。"""
    runs = _published(params_list, on)
    sums: dict[int, list[float]] = {}
    for run_id, lines in MujunResult.objects.filter(run__in=[r.pk for r in runs if r]).exclude(
            status="excluded").values_list("run", "lines"):
        for line in lines:
            if line["indicator"] == TAX_PER_MU and line["value"] is not None:
                sums.setdefault(run_id, []).append(line["value"])
    out = []
    for run in runs:
        values = sums.get(run.pk) if run else None
        out.append(Decimal(repr(sum(values) / len(values))).quantize(Decimal("0.0001")) if values else None)
    return out
