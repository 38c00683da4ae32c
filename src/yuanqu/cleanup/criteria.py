"""The identification engine: criteria over an enterprise's facts → candidates with the criteria met.

Pure Python (no Django): selectors gather the facts in a fixed number of queries, the tests feed
the engine by hand. A candidate meets at least one active criterion of its category; every criterion
met is listed with what was found, so a person can confirm or dismiss it knowing why.

Kinds of criterion:
- figure: the indicator's value compares to the threshold in each of the `years` years up to the
  evaluated year (a year without the figure breaks the run: no figure is not evidence);
- no_figure: no value of the indicator in any of those years, for an enterprise registered before
  the first of them (a new firm has not had the chance to report);
- missing_field: a field of the register left empty (投产日期 …);
- idle_land: the enterprise holds a parcel the land register marks 闲置.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from decimal import Decimal

COMPARE = {"<": operator.lt, "<=": operator.le, "=": operator.eq, ">=": operator.ge, ">": operator.gt}
FIELDS = {"production_on": "投产日期", "industry": "行业", "address": "地址", "liaison_unit": "挂钩单位"}
KINDS = ("figure", "no_figure", "missing_field", "idle_land")


@dataclass(frozen=True)
class Rule:
    id: int
    category: str
    name: str
    kind: str
    indicator: str = ""
    comparator: str = ""
    threshold: Decimal | None = None
    years: int = 1
    field: str = ""


@dataclass
class Facts:
    enterprise_id: int
    registered_on: dt.date | None = None
    figures: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (year, indicator key) → current value
    fields: dict[str, object] = field(default_factory=dict)
    idle_parcels: list[str] = field(default_factory=list)  # codes


@dataclass(frozen=True)
class Met:
    criterion: int
    name: str
    detail: str


@dataclass
class Candidate:
    enterprise_id: int
    category: str
    met: list[Met]


def _number(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def check(rule: Rule, facts: Facts, year: int) -> str | None:
    """What was found if the enterprise meets the rule in `year`, else None."""
    span = range(year - rule.years + 1, year + 1)
    if rule.kind == "figure":
        compare = COMPARE[rule.comparator]
        values = [facts.figures.get((y, rule.indicator)) for y in span]
        if any(v is None or not compare(Decimal(v), Decimal(rule.threshold)) for v in values):
            return None
        return "，".join(f"{y}年 {_number(v)}" for y, v in zip(span, values, strict=True))
    if rule.kind == "no_figure":
        if facts.registered_on is None or facts.registered_on.year >= span[0]:
            return None
        if any((y, rule.indicator) in facts.figures for y in span):
            return None
        return f"{span[0]}—{year}年未报送" if rule.years > 1 else f"{year}年未报送"
    if rule.kind == "missing_field":
        if facts.fields.get(rule.field) not in (None, ""):
            return None
        return f"{FIELDS.get(rule.field, rule.field)}未填写"
    if rule.kind == "idle_land":
        return f"闲置地块：{'、'.join(facts.idle_parcels)}" if facts.idle_parcels else None
    raise ValueError(f"unknown criterion kind {rule.kind!r}")


def evaluate(rules: list[Rule], facts_list: list[Facts], year: int) -> list[Candidate]:
    """Every (enterprise, category) meeting at least one rule, with the rules met in their order."""
    out = []
    categories = list(dict.fromkeys(r.category for r in rules))
    for facts in facts_list:
        for category in categories:
            met = []
            for rule in rules:
                if rule.category != category:
                    continue
                detail = check(rule, facts, year)
                if detail is not None:
                    met.append(Met(rule.id, rule.name, detail))
            if met:
                out.append(Candidate(facts.enterprise_id, category, met))
    return out


def years_needed(rules: list[Rule], year: int) -> range:
    """The figure years the rules read (for the selector's one figures query)."""
    longest = max((r.years for r in rules if r.kind in ("figure", "no_figure")), default=1)
    return range(year - longest + 1, year + 1)
