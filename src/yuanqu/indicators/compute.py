"""Rates from counts, and their roll-up (pure: no database).

A ratio is numerator ÷ denominator × multiplier; a sum adds its terms. Rolling up from villages to
a 片区 and to the zone adds each variable over the villages and computes the formula once on the
sums — the ratio of the sums, never an average of the villages' percentages, so a village of
3,000 people weighs more than one of 300. A zero denominator has no rate (None, shown “—”).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

RATIO, SUM = "ratio", "sum"
PLACES = Decimal("0.01")
DASH = "—"


def evaluate(formula: str, multiplier: Decimal, values: list[Decimal]) -> Decimal | None:
    if formula == RATIO:
        numerator, denominator = values[0], values[1]
        if not denominator:
            return None
        return (numerator / denominator * multiplier).quantize(PLACES)
    return sum(values, Decimal(0)).quantize(PLACES)


@dataclass
class Rollup:
    """Variables summed over some villages, and the formula computed once on the sums."""

    formula: str
    multiplier: Decimal
    sums: list[Decimal] = field(default_factory=list)
    counted: int = 0  # how many villages' counts are in the sums

    def add(self, values: Iterable[Decimal]) -> None:
        values = list(values)
        if not self.sums:
            self.sums = [Decimal(0)] * len(values)
        self.sums = [a + b for a, b in zip(self.sums, values, strict=False)]
        self.counted += 1

    @property
    def value(self) -> Decimal | None:
        return evaluate(self.formula, self.multiplier, self.sums) if self.counted else None


def shown(value: Decimal | None) -> str:
    """A value as the pages show it: “—” where there is none (no counts, a zero denominator)."""
    return DASH if value is None else format(value.normalize(), "f") if value == value.to_integral() else f"{value:f}"
