"""Reads of the indicators register: the visible definitions, counts and the computed values.

Every page reads in a fixed number of queries: the definitions (one), the counting units with
their 片区 (one), the counts asked for (one); the rates and roll-ups are computed in Python
(compute.py). Village rows come from `IndicatorCount.objects.visible_to(user)`; the 片区 and zone
figures are aggregates of every village's counts, the same figure the plan's bound target shows
to all its readers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from yuanqu.core import clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.org.models import OrgUnit

from .compute import Rollup, evaluate
from .models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition, IndicatorVersion

RECENT_PERIODS = 8


def may_read(user) -> bool:
    """Who has an indicators page at all: readers of everything, owner units, counting units."""
    from .models import _enters_for_villages

    return user.can("indicators.read_all") or bool(user.units_for("indicators.define")) \
        or _enters_for_villages(user)


def definitions(user):
    return (IndicatorDefinition.objects.visible_to(user)
            .select_related("owner_unit", "current_version").order_by("order", "code"))


# ---------------------------------------------------------------- the unit tree


@dataclass
class Tree:
    """The counting units (villages, communities), the 片区, and which 片区 each unit lies in."""

    areas: list[OrgUnit]
    villages: list[OrgUnit]
    area_of: dict[int, int | None]

    def villages_in(self, area_id: int) -> list[OrgUnit]:
        return [v for v in self.villages if self.area_of.get(v.pk) == area_id]


def unit_tree() -> Tree:
    """One query: every 片区, village and community, in the tree's order."""
    units = list(OrgUnit.objects.filter(kind__in=(OrgUnit.Kind.AREA, *COUNTING_KINDS)).order_by("path"))
    areas = [u for u in units if u.kind == OrgUnit.Kind.AREA]
    villages = [u for u in units if u.kind in COUNTING_KINDS]
    area_of = {v.pk: next((a.pk for a in areas if v.path.startswith(a.path)), None) for v in villages}
    return Tree(areas=areas, villages=villages, area_of=area_of)


# ---------------------------------------------------------------- values


@dataclass
class Values:
    """Counts of some indicators and periods, with the rates and roll-ups computed from them."""

    tree: Tree
    formulas: dict[int, IndicatorVersion]  # definition → the version roll-ups compute with (current)
    counts: dict[tuple[int, int, str], IndicatorCount] = field(default_factory=dict)
    areas: dict[tuple[int, int, str], Rollup] = field(default_factory=dict)
    zone: dict[tuple[int, str], Rollup] = field(default_factory=dict)
    periods: dict[int, list[str]] = field(default_factory=dict)

    def add(self, count: IndicatorCount) -> None:
        d = count.definition_id
        version = self.formulas[d]
        self.counts[(d, count.unit_id, count.period)] = count
        numbers = [Decimal(v) for v in count.values]
        area = self.tree.area_of.get(count.unit_id)
        if area is not None:
            self.areas.setdefault((d, area, count.period), Rollup(version.formula, version.multiplier)).add(numbers)
        self.zone.setdefault((d, count.period), Rollup(version.formula, version.multiplier)).add(numbers)

    def finish(self) -> Values:
        found = defaultdict(set)
        for d, period in self.zone:
            found[d].add(period)
        self.periods = {d: sorted(p) for d, p in found.items()}
        return self

    def village(self, definition_id: int, unit_id: int, period: str) -> Decimal | None:
        count = self.counts.get((definition_id, unit_id, period))
        return count_value(count) if count else None

    def area(self, definition_id: int, area_id: int, period: str) -> Decimal | None:
        rollup = self.areas.get((definition_id, area_id, period))
        return rollup.value if rollup else None

    def zone_value(self, definition_id: int, period: str) -> Decimal | None:
        rollup = self.zone.get((definition_id, period))
        return rollup.value if rollup else None

    def latest(self, definition_id: int) -> str | None:
        found = self.periods.get(definition_id)
        return found[-1] if found else None


def count_value(count: IndicatorCount) -> Decimal | None:
    """A village's value, computed with the caliber version it was entered under."""
    version = count.definition_version
    return evaluate(version.formula, version.multiplier, [Decimal(v) for v in count.values])


def _counts(pairs: Q, *, on: dt.date | None = None):
    qs = IndicatorCount.objects.filter(pairs).select_related("definition_version")
    if on is None or on >= clock.today():  # today: everything entered so far
        return list(qs.filter(is_current=True))
    # As known at the end of `on`: per village-period the last revision entered by then.
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    latest: dict[tuple, IndicatorCount] = {}
    for count in qs.filter(entered_at__lt=end).order_by("revision"):
        latest[(count.definition_id, count.unit_id, count.period)] = count
    return list(latest.values())


def values_for(defs: list[IndicatorDefinition], *, periods: dict[int, list[str]] | None = None,
               on: dt.date | None = None, tree: Tree | None = None) -> Values:
    """The values of `defs` (all their periods, or the periods asked per definition)."""
    tree = tree or unit_tree()
    result = Values(tree=tree, formulas={d.pk: d.current_version for d in defs})
    if not defs:
        return result
    if periods is None:
        pairs = Q(definition__in=[d.pk for d in defs])
    else:
        pairs = Q(pk__in=[])
        for d, wanted in periods.items():
            if wanted:
                pairs |= Q(definition_id=d, period__in=wanted)
    for count in _counts(pairs, on=on):
        result.add(count)
    return result.finish()


def latest_periods(defs: list[IndicatorDefinition]) -> dict[int, list[str]]:
    """Each definition's latest period with counts (one query)."""
    rows = (IndicatorCount.objects.filter(definition__in=[d.pk for d in defs], is_current=True)
            .values_list("definition").annotate(latest=Max("period")))
    return {d: [p] for d, p in rows}


def recent_periods(values: Values, definition_id: int, n: int = RECENT_PERIODS) -> list[str]:
    return values.periods.get(definition_id, [])[-n:]


# ---------------------------------------------------------------- pages


def visible_counts(user, definition: IndicatorDefinition):
    return (IndicatorCount.objects.visible_to(user).filter(definition=definition)
            .select_related("unit", "definition_version", "entered_by"))


def villages_read(user, definition: IndicatorDefinition, tree: Tree) -> list[OrgUnit]:
    """The villages whose rows of this indicator the user reads: all of them for readers of
    everything and the owner unit, else the villages in the user's own units (a village, a 片区)."""
    if user.can("indicators.read_all") or user.can("indicators.define", unit=definition.owner_unit_id):
        return tree.villages
    own = user.scope_units()
    return [v for v in tree.villages if v.pk in own]


def owns_indicators(user) -> bool:
    """The user's unit owns at least one indicator (one query, kept for the request)."""
    if "_owns_indicators" not in user.__dict__:
        units = user.units_for("indicators.define")
        user.__dict__["_owns_indicators"] = bool(units) and IndicatorDefinition.objects.filter(
            units.q("owner_unit")).exists()
    return user.__dict__["_owns_indicators"]


def may_read_village(user, village: OrgUnit) -> bool:
    """Readers of everything, the village itself (or its 片区), and owner units (their indicators' rows)."""
    return user.can("indicators.read_all") or village.pk in user.scope_units() or owns_indicators(user)


def revisions(user, definition: IndicatorDefinition, limit: int = 50) -> list[IndicatorCount]:
    return list(visible_counts(user, definition).order_by("-entered_at", "-pk")[:limit])


def definition_history(definition: IndicatorDefinition) -> list[dict]:
    return describe_changes(history_for(definition).select_related("actor"), IndicatorDefinition)


def versions(definition: IndicatorDefinition) -> list[IndicatorVersion]:
    return list(definition.versions.select_related("created_by").order_by("-number"))


def count_periods(definition: IndicatorDefinition) -> list[str]:
    """The periods with counts of an indicator, oldest first (one query)."""
    return sorted(IndicatorCount.objects.filter(definition=definition, is_current=True)
                  .values_list("period", flat=True).distinct())


def value_rows(user, defs: list[IndicatorDefinition], periods: dict[int, list[str]]) -> list[dict]:
    """The API's computed values: per indicator and period the zone, each 片区, each village read."""
    from .models import Level

    tree = unit_tree()
    values = values_for(defs, periods=periods, tree=tree)
    rows = []

    def row(d, period, level, unit, place, rollup_or_count):
        if isinstance(rollup_or_count, IndicatorCount):
            sums, value = [Decimal(v) for v in rollup_or_count.values], count_value(rollup_or_count)
        else:
            sums, value = rollup_or_count.sums, rollup_or_count.value
        rows.append({"definition": d.pk, "code": d.code, "period": period, "level": level, "unit": unit,
                     "place": place, "value": value, "sums": sums})

    for d in defs:
        for period in periods.get(d.pk, []):
            if d.level == Level.ZONE and (d.pk, period) in values.zone:
                row(d, period, Level.ZONE, None, "园区", values.zone[(d.pk, period)])
            if d.level in (Level.ZONE, Level.AREA):
                for area in tree.areas:
                    if (d.pk, area.pk, period) in values.areas:
                        row(d, period, Level.AREA, area.pk, area.name, values.areas[(d.pk, area.pk, period)])
            for village in villages_read(user, d, tree):
                count = values.counts.get((d.pk, village.pk, period))
                if count is not None:
                    row(d, period, Level.VILLAGE, village.pk, village.name, count)
    return rows


def zone_by_year(defs: list[IndicatorDefinition], years: set[int], on: dt.date) -> dict[tuple[int, int], Decimal | None]:
    """Each indicator's zone value in the latest period of each year that has counts entered by
    `on` (a year-kind indicator: the year itself). Two queries whatever the number of indicators."""
    pairs = Q(pk__in=[])
    for year in years:
        pairs |= Q(period__startswith=str(year))
    tree = unit_tree()
    result = Values(tree=tree, formulas={d.pk: d.current_version for d in defs})
    for count in _counts(Q(definition__in=[d.pk for d in defs]) & pairs, on=on):
        result.add(count)
    result.finish()
    found: dict[tuple[int, int], Decimal | None] = {}
    for d in defs:
        for period in result.periods.get(d.pk, []):  # oldest first: the latest period wins
            found[(d.pk, int(period[:4]))] = result.zone_value(d.pk, period)
    return found
