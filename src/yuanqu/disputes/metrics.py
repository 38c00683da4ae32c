"""Live figures of the disputes register for the plan's section 七 (docs/metrics.md): the share of a
year's concluded mediations that reached an agreement (矛盾纠纷调解成功率), the share of a year's
petitions answered within their limit counting open ones past it as late (信访按期办结率), and the
open cases past a limit. Each as of a date, for a whole list of parameters in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear

from yuanqu.core.metrics import Param, register

from .models import DisputeCase, Kind

YEAR = Param("year", "年度", "int")


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def _by_year(qs, field: str, params_list, **counts) -> list[dict]:
    years = {p["year"] for p in params_list}
    rows = (qs.filter(**{f"{field}__year__in": years}).annotate(year=ExtractYear(field)).values("year")
            .annotate(**counts).order_by())
    found = {r["year"]: r for r in rows}
    return [found.get(p["year"], {}) for p in params_list]


@register("disputes.mediation_success_rate", label="矛盾纠纷调解成功率", unit="%", params=[YEAR])
def mediation_success_rate(params_list, on: dt.date):
    """Of the mediations of the year concluded by the date, the share that reached an agreement."""
    done = Q(decided_on__isnull=False, decided_on__lte=on)
    rows = _by_year(DisputeCase.objects.filter(kind=Kind.MEDIATION), "decided_on", params_list,
                    done=Count("pk", filter=done), agreed=Count("pk", filter=done & Q(agreement_reached=True)))
    return [_share(r.get("agreed", 0), r.get("done", 0)) for r in rows]


@register("disputes.petition_on_time_rate", label="信访按期办结率", unit="%", params=[YEAR])
def petition_on_time_rate(params_list, on: dt.date):
    """Of the year's accepted petitions whose handling limit has come by the date (answered, or
    past it unanswered), the share answered by the limit (the extended one when extended)."""
    due = Coalesce("extended_due", "handling_due")
    answered = Q(decided_on__isnull=False, decided_on__lte=on)
    open_late = (Q(decided_on__isnull=True) | Q(decided_on__gt=on)) & (
        Q(extended_due__lt=on) | Q(extended_due__isnull=True, handling_due__lt=on))
    rows = _by_year(DisputeCase.objects.filter(kind=Kind.PETITION, accepted_on__lte=on), "accepted_on", params_list,
                    answered=Count("pk", filter=answered),
                    on_time=Count("pk", filter=answered & Q(decided_on__lte=due)),
                    open_late=Count("pk", filter=open_late))
    return [_share(r.get("on_time", 0), r.get("answered", 0) + r.get("open_late", 0)) for r in rows]


@register("disputes.open_overdue", label="逾期未办的调解信访件", unit="件")
def open_overdue(params_list, on: dt.date):
    """Open cases with a clock running past its limit on the date."""
    count = DisputeCase.objects.filter(DisputeCase.running_overdue_q(on), received_on__lte=on).count()
    return [Decimal(count) for _ in params_list]


