"""The project list's GET filters (stage, level, unit, amount band, late, q), shared by the page, its
export and the API so they all select the same projects. Invalid values are ignored."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import AmountBand, Level, Project, Stage, StageStep


def _band_and_above(qs: QuerySet, band_id: int, on) -> QuerySet:
    band = AmountBand.objects.filter(pk=band_id).first()
    return qs.filter(total_investment__gte=band.min_amount) if band else qs.none()


def _late_q(on: dt.date) -> Q:
    return Q(pk__in=StageStep.objects.filter(planned_on__lt=on, actual_on__isnull=True, skipped=False).values("project"))


# The export labels the units and bands from the page's own lists: labels(known={OrgUnit: …, AmountBand: …}).
PROJECT_FILTERS = ListFilters(
    Choice("stage", Stage, "阶段"),
    Choice("level", Level, "级别"),
    Ref("unit", OrgUnit, "牵头单位", lookup="lead_unit"),
    Ref("band", AmountBand, "投资额", text=lambda band: f"{band.name}以上", apply=_band_and_above),
    Flag("late", "仅看滞后", q=_late_q, values=("1", "true", "on")),
    Search(("name", "investor", "industry")),
)


def filter_projects(user, params, on: dt.date) -> tuple[Chosen, QuerySet[Project]]:
    """The user's projects for these parameters, with what a row shows selected (one query)."""
    filters = PROJECT_FILTERS.parse(params)
    qs = Project.objects.visible_to(user).select_related("lead_unit", "leader", "chain_node", "parcel")
    return filters, filters.apply(qs, on)
