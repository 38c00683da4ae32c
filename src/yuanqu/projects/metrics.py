"""Live figures of 重大项目 for the plan: projects that reached a gate (with an amount floor), how
many of the named projects reached a gate (“…皓晶、嘉浩、佳禾全面开工”), investment completed in a
year. Each honours its date: a gate counts from its actual date, a return from the day it was filed
(the version current then), so a past month's value is what the register said then. Each answers
a whole list of parameters in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from yuanqu.core.metrics import Param, register

from .models import GATES, MonthlyReturn, Project, Stage
from .selectors import reached_by


def stage_value(text) -> str | None:
    """A gate named by its label (开工) or its code (started)."""
    text = str(text or "").strip()
    for value in GATES:
        if text in (value, str(Stage(value).label)):
            return value
    return None


def split_names(text) -> list[str]:
    return [n.strip() for n in re.split(r"[、，,；;\n]+", str(text or "")) if n.strip()]


STAGE = Param("stage", "阶段（签约、注册、供地、开工、竣工、投产）", "str", exists=lambda v: stage_value(v) is not None)
MIN_AMOUNT = Param("min_amount", "总投资下限（亿元）", "decimal", required=False)
YEAR = Param("year", "年度（只计该年内到达的；不填为截至当日累计）", "int", required=False)
IN_YEAR = Param("year", "年度", "int")
NAMES = Param("names", "项目名称（以顿号分隔，可写名称中的关键词，如 豪华邮轮、皓晶、嘉浩、佳禾）", "str")


@register("projects.in_stage", label="到达某阶段的重大项目数", unit="个", params=[STAGE, MIN_AMOUNT, YEAR])
def in_stage(params_list, on: dt.date):
    """截至当日已到达（或越过）该阶段的重大项目个数，可限定总投资下限和到达年度。"""
    amounts = dict(Project.objects.values_list("pk", "total_investment"))
    out = []
    cache: dict[str, dict[int, dt.date]] = {}
    for p in params_list:
        stage = stage_value(p["stage"])
        if stage not in cache:
            cache[stage] = reached_by(list(amounts), stage, on)
        floor = Decimal(str(p["min_amount"])) if p.get("min_amount") not in (None, "") else None
        year = int(p["year"]) if p.get("year") not in (None, "") else None
        out.append(Decimal(sum(1 for pid, day in cache[stage].items()
                               if (floor is None or amounts[pid] >= floor) and (year is None or day.year == year))))
    return out


@register("projects.named_in_stage", label="指定项目到达某阶段的个数", unit="个", params=[NAMES, STAGE])
def named_in_stage(params_list, on: dt.date):
    """名单中截至当日已到达（或越过）该阶段的项目个数（每个名称取第一个名称含该关键词的项目；名单全部到达即等于名单个数）。"""
    projects = list(Project.objects.order_by("-total_investment", "id").values_list("pk", "name"))
    out = []
    for p in params_list:
        matches = [next((pid for pid, name in projects if wanted in name), None) for wanted in split_names(p["names"])]
        # Only the named projects' gates are read: the register may hold thousands.
        reached = reached_by([pid for pid in matches if pid is not None], stage_value(p["stage"]), on)
        out.append(Decimal(sum(1 for pid in matches if pid is not None and pid in reached)))
    return out


@register("projects.investment_completed", label="重大项目年度完成投资", unit="亿元", params=[IN_YEAR])
def investment_completed(params_list, on: dt.date):
    """该年度各月月报的当月完成投资合计（截至当日已填报的，每月取当时的最新版本）。"""
    years = {int(p["year"]) for p in params_list}
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    rows = (MonthlyReturn.objects.filter(month__year__in=years, month__lte=on, submitted_at__lt=end)
            .order_by("project", "month", "version").values_list("project", "month", "completed_month"))
    latest: dict[tuple[int, dt.date], Decimal] = {}
    for pid, month, amount in rows:
        latest[(pid, month)] = amount
    out = []
    for p in params_list:
        out.append(sum((v for (_pid, month), v in latest.items() if month.year == int(p["year"])), Decimal(0)))
    return out
