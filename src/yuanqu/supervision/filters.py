"""The 督办单 list's GET filters (state, lead_unit, source_kind, overdue, q) as one function, so
the list page and its export select exactly the same items in the same order.

Values that are not valid are ignored, as the list page always did.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from yuanqu.core.listfilters import Choice, Chosen, Flag, ListFilters, Ref, Search
from yuanqu.org.models import OrgUnit

from .models import State, SupervisionItem

SOURCE_KINDS = SupervisionItem.SourceKind


ITEM_FILTERS = ListFilters(
    Choice("state", State, "状态"),
    Ref("lead_unit", OrgUnit, "牵头单位", lookup="lead_unit_id", doc="牵头单位 id"),
    Choice("source_kind", SOURCE_KINDS, "来源"),
    Flag("overdue", "只看逾期", values=("1",), apply=lambda qs, _, on: qs.overdue(on), doc="为 1 时只看逾期未办结的"),
    Search(("number", "title", "requirement"), doc="搜索（编号、事项、办理要求）"),
)


def filter_items(user, params, on: dt.date) -> tuple[Chosen, QuerySet[SupervisionItem]]:
    """The list's rows for these GET parameters: scoped to the user, filtered, newest first,
    lead unit and target selected (one query; callers add prefetches they need)."""
    filters = ITEM_FILTERS.parse(params)
    qs = SupervisionItem.objects.visible_to(user).select_related("lead_unit", "target")
    return filters, filters.apply(qs, on).order_by("-year", "-seq")
