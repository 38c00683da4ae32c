"""Live figures of the approvals register for the plan (docs/metrics.md): the share of a
scenario's cases within its target working days, and their median working days, in a year up to
a date. A scenario is named by its name (企业开办) and the reform target's code (2330); each
answers a whole list of parameters in two queries (the scenarios, then one histogram)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yuanqu.core.metrics import Param, register

from .models import Case, ReformBundle, Scenario
from .selectors import figures_of, histograms

YEAR = Param("year", "年度", "int")
BUNDLE = Param("bundle", "改革目标代号（如 3550、2330）", "str",
               exists=lambda v: ReformBundle.objects.filter(code=str(v).strip()).exists())
SCENARIO = Param("scenario", "场景（如 企业开办、不动产登记、工业项目施工许可）", "str",
                 exists=lambda v: Scenario.objects.filter(name=str(v).strip()).exists())


def _figures(params_list, on: dt.date):
    wanted = {(p["year"], str(p["bundle"]).strip(), str(p["scenario"]).strip()) for p in params_list}
    scenarios = {(s.bundle.year, s.bundle.code, s.name): s for s in Scenario.objects.select_related("bundle")
                 .filter(bundle__year__in={y for y, _, _ in wanted}, bundle__code__in={b for _, b, _ in wanted})}
    found = [s for key, s in scenarios.items() if key in wanted]
    if not found:
        return [None for _ in params_list]
    years = {s.bundle.year for s in found}
    start, end = dt.date(min(years), 1, 1), min(on, dt.date(max(years), 12, 31))
    # One histogram for every asked scenario; each keeps the cases of its own year only.
    by_year = histograms(Case.objects.all(), bundle_ids={s.bundle_id for s in found}, start=start, end=end,
                         by_month=True)
    out = []
    for p in params_list:
        scenario = scenarios.get((p["year"], str(p["bundle"]).strip(), str(p["scenario"]).strip()))
        if scenario is None:
            out.append(None)
            continue
        merged: dict[int, int] = {}
        for (sc, month), hist in by_year.items():
            if sc == scenario.pk and month.year == scenario.bundle.year:
                for days, n in hist.items():
                    merged[days] = merged.get(days, 0) + n
        out.append(figures_of(merged, scenario.target_days))
    return out


@register("approvals.on_time_share", label="审批场景按时办结率", unit="%", params=[YEAR, BUNDLE, SCENARIO])
def on_time_share(params_list, on: dt.date):
    """当年截至当日办结（或送达）的该场景办件中，用时不超过目标工作日的比例。"""
    return [None if f is None else Decimal(100 * f.on_time / f.cases if f.cases else 0).quantize(Decimal("0.1"))
            for f in _figures(params_list, on)]


@register("approvals.median_days", label="审批场景办件用时中位数", unit="工作日", params=[YEAR, BUNDLE, SCENARIO])
def median_days(params_list, on: dt.date):
    """当年截至当日办结（或送达）的该场景办件用时（工作日，中止时段不计）的中位数。"""
    return [None if f is None else Decimal(f.median or 0) for f in _figures(params_list, on)]
