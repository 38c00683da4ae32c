"""The 督办单 list's GET filters (state, lead_unit, source_kind, overdue, q) as one function, so
the list page and its export select exactly the same items in the same order.

Values that are not valid are ignored, as the list page always did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit

from . import selectors
from .models import State, SupervisionItem

SOURCE_KINDS = SupervisionItem.SourceKind




@dataclass(frozen=True)
class ItemFilters:
    state: str = ""
    lead_unit: int | str = ""  # "" when not filtered (the template compares it with unit ids)
    source_kind: str = ""
    overdue: bool = False
    q: str = ""

    def labels(self) -> list[str]:
        """"状态：办理中", "牵头单位：三南村" ... for an export's note line (one query when a unit is set)."""
        labels = []
        if self.state:
            labels.append(f"状态：{State(self.state).label}")
        if self.lead_unit:
            unit = OrgUnit.objects.filter(pk=self.lead_unit).only("name").first()
            labels.append(f"牵头单位：{unit.name if unit else '（不存在）'}")
        if self.source_kind:
            labels.append(f"来源：{SOURCE_KINDS(self.source_kind).label}")
        if self.overdue:
            labels.append("只看逾期")
        if self.q:
            labels.append(f"搜索：“{self.q}”")
        return labels


def parse_item_filters(params) -> ItemFilters:
    return ItemFilters(
        state=params.get("state") if params.get("state") in State.values else "",
        lead_unit=parse_id(params.get("lead_unit")) or "",
        source_kind=params.get("source_kind") if params.get("source_kind") in SOURCE_KINDS.values else "",
        overdue=params.get("overdue") == "1",
        q=(params.get("q") or "").strip()[:100],
    )


def filter_items(user, params, on: dt.date) -> tuple[ItemFilters, QuerySet[SupervisionItem]]:
    """The list's rows for these GET parameters: scoped to the user, filtered, newest first,
    lead unit and target selected (one query; callers add prefetches they need)."""
    filters = parse_item_filters(params)
    qs = selectors.item_list(
        user, on=on, state=filters.state, lead_unit=filters.lead_unit, source_kind=filters.source_kind,
        overdue=filters.overdue, q=filters.q,
    )
    return filters, qs
