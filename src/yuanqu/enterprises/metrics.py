"""Live figures of the enterprise register for the plan: new 规上 enterprises, enterprises that
moved up a 上台阶 step, and the count of a tag (专精特新“小巨人” …).

Each honours its date: 规上 counts from the admission date, a tag from its 认定日期, a tier from
the figure versions recorded by that date (a later correction does not rewrite a past month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count

from yuanqu.core.metrics import Param, register

from .models import Enterprise, EnterpriseTag, EnterpriseTagging
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
