"""Lead units ranked by how their targets stand: one rule for the bulletin and the cockpit.

A unit ranks by the share of the targets it leads that are green or done, higher first, then by
fewer reds. The share is compared exactly (a Fraction): a share rounded for display would tie 7/39
with 5/28 (both 17.9%) and let the red count decide an order the shares already settle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from yuanqu.plans.status import Status

ON_TRACK = frozenset({Status.GREEN, Status.DONE})


@dataclass
class UnitStanding:
    unit_id: int
    unit: Any  # the OrgUnit
    total: int = 0
    on_track: int = 0
    red: int = 0
    rank: int = 0

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.on_track, self.total) if self.total else Fraction(0)

    @property
    def key(self) -> tuple[Fraction, int]:
        """Units with equal keys share a place (并列)."""
        return self.ratio, self.red

    @property
    def share(self) -> float:
        """The on-track share in percent, rounded for display only (never compared)."""
        return round(100.0 * self.on_track / self.total, 1) if self.total else 0.0


def unit_tallies(targets: Iterable, evaluations: Mapping[int, Any]) -> dict[int, UnitStanding]:
    """Per lead unit (in order of first appearance): targets led, on track and red.

    `targets` need `lead_unit` loaded; `evaluations` maps a target's id to anything with a
    `status` (an Evaluation or TargetFacts). Targets without a lead unit are left out.
    """
    tallies: dict[int, UnitStanding] = {}
    for t in targets:
        if t.lead_unit_id is None:
            continue
        standing = tallies.get(t.lead_unit_id)
        if standing is None:
            standing = tallies[t.lead_unit_id] = UnitStanding(unit_id=t.lead_unit_id, unit=t.lead_unit)
        status = evaluations[t.pk].status
        standing.total += 1
        standing.on_track += status in ON_TRACK
        standing.red += status == Status.RED
    return tallies


def unit_on_track_ranking(targets: Iterable, evaluations: Mapping[int, Any]) -> list[UnitStanding]:
    """Lead units best first, each with its `rank`; tied units share the rank of the first of
    them and are listed in the units' own order."""
    return rank_standings(unit_tallies(targets, evaluations).values())


def rank_standings(tallies: Iterable[UnitStanding]) -> list[UnitStanding]:
    """Standings (however tallied: in Python or by an aggregate query) best first, ranked."""
    standings = sorted(tallies, key=lambda s: (-s.ratio, s.red, s.unit.order, s.unit_id))
    for position, standing in enumerate(standings, start=1):
        previous = standings[position - 2] if position > 1 else None
        standing.rank = previous.rank if previous is not None and previous.key == standing.key else position
    return standings
