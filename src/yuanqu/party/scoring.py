"""Pure scoring of a standardisation checklist (no Django): each item's points from the value
entered under its rule, the total, the veto and the result against the template's pass marks.

- check (达标项): the value is 1 (met) or 0; met earns the item's maximum.
- deduct (扣分项): the value is the number of occurrences; the item's maximum less the points per
  occurrence times it. A deduction over the item's maximum is refused, never capped.
- add (加分项): the value is the number of occurrences; points per occurrence times it, at most the
  item's maximum (refused beyond). Add items are not part of the template's total: a total may
  exceed it (the 积分制 practice).
- veto (一票否决): a check item not met, or a deduct item with any occurrence, makes the result
  未达标 whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHECK, DEDUCT, ADD = "check", "deduct", "add"
MET, EXEMPLARY, NOT_MET = "met", "exemplary", "not_met"


def n(value) -> str:
    """A number as people write it: 32, not 32.0; 1.5 stays."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1))}" if value == value.to_integral_value() else f"{value.normalize()}"


class ScoreError(ValueError):
    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.message, self.index = message, index


@dataclass(frozen=True)
class Item:
    title: str
    rule: str
    max_score: Decimal
    points_each: Decimal | None = None
    veto: bool = False


def item_points(item: Item, value, index: int = 0) -> Decimal:
    """The points the value earns under the item's rule; a value the rule cannot take is refused."""
    label = f"第{index + 1}项“{item.title}”"
    if value is None:
        raise ScoreError(f"{label}尚未填写。", index)
    value = Decimal(value)
    if value < 0:
        raise ScoreError(f"{label}的次数不能为负数（收到{n(value)}）。", index)
    if item.rule == CHECK:
        if value not in (0, 1):
            raise ScoreError(f"{label}为达标项，只能填 1（达标）或 0（未达标），收到{n(value)}。", index)
        return item.max_score if value == 1 else Decimal(0)
    if value != value.to_integral_value():
        raise ScoreError(f"{label}的次数应为整数，收到{n(value)}。", index)
    points = value * (item.points_each or 0)
    if item.rule == DEDUCT:
        if points > item.max_score:
            raise ScoreError(f"{label}扣分{n(points)}分（{n(value)}次×{n(item.points_each)}分），超过该项满分{n(item.max_score)}分。",
                             index)
        return item.max_score - points
    if points > item.max_score:
        raise ScoreError(f"{label}加分{n(points)}分（{n(value)}次×{n(item.points_each)}分），超过该项上限{n(item.max_score)}分。",
                         index)
    return points


def vetoes(item: Item, value) -> bool:
    if not item.veto or value is None:
        return False
    value = Decimal(value)
    return (item.rule == CHECK and value != 1) or (item.rule == DEDUCT and value > 0)


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    vetoed_by: tuple[str, ...]
    result: str


def score(items: list[Item], values: list, *, pass_mark: Decimal, exemplary_mark: Decimal) -> Outcome:
    total = sum((item_points(item, value, i) for i, (item, value) in enumerate(zip(items, values, strict=True))),
                Decimal(0))
    vetoed = tuple(item.title for item, value in zip(items, values, strict=True) if vetoes(item, value))
    if vetoed or total < pass_mark:
        result = NOT_MET
    elif total >= exemplary_mark:
        result = EXEMPLARY
    else:
        result = MET
    return Outcome(total, vetoed, result)


def check_template(items: list[Item], *, total: Decimal, pass_mark: Decimal, exemplary_mark: Decimal) -> None:
    """A template whose items do not add up, or whose marks cannot be reached, is refused."""
    if not items:
        raise ScoreError("考评清单至少应有一项。", -1)
    for i, item in enumerate(items):
        label = f"第{i + 1}项“{item.title}”"
        if not item.title.strip():
            raise ScoreError(f"第{i + 1}项缺少考评内容。", i)
        if item.rule not in (CHECK, DEDUCT, ADD):
            raise ScoreError(f"{label}的计分方式“{item.rule}”无效（应为达标、扣分或加分）。", i)
        if item.max_score <= 0:
            raise ScoreError(f"{label}的满分应大于0，收到{n(item.max_score)}。", i)
        if item.rule in (DEDUCT, ADD) and not (item.points_each and 0 < item.points_each <= item.max_score):
            raise ScoreError(f"{label}应填写每次扣（加）分，且大于0、不超过该项满分{n(item.max_score)}分。", i)
        if item.veto and item.rule == ADD:
            raise ScoreError(f"{label}为加分项，不能设为一票否决。", i)
    base = sum((item.max_score for item in items if item.rule != ADD), Decimal(0))
    if base != total:
        raise ScoreError(f"达标项和扣分项的满分合计为{n(base)}分，与清单总分{n(total)}分不一致。", -1)
    if not 0 < pass_mark <= total:
        raise ScoreError(f"达标分数线应大于0且不超过总分{n(total)}分，收到{n(pass_mark)}。", -2)
    if exemplary_mark < pass_mark:
        raise ScoreError(f"示范分数线（{n(exemplary_mark)}）不能低于达标分数线（{n(pass_mark)}）。", -3)
