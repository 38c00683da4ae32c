"""A 亩均效益 evaluation scheme, as data.

No two jurisdictions score alike (reference/mujun.md): indicators, weights, benchmarks, pools,
exclusions, missing-value rules, caps, vetoes and classes are all chosen by the zone's
administration per year.  So a scheme is nothing but these frozen dataclasses, checked when they
are built (each problem is refused with a Chinese message naming the pool, indicator and field),
and stored as JSON (``to_json`` / ``from_json``).  The engine (``engine.py``) reads them; no rule of
any one county is written in code.

The parts:

- ``figures``: the yearly figures an enterprise reports (实缴税金, 用地面积 …) with unit and whether
  a negative value is possible (tax after refunds can be; land area cannot).
- ``attributes``: the enterprise attributes conditions may test (规模, 行业代码, 投产年份 …), text or
  number.  A scheme is for one year, so "in production fewer than 2 years" for 2022 is written as
  ``投产年份 > 2020``.
- ``pools``: ranking groups (规上 / 规下, land-size groups …), each a predicate (``when``: every
  condition must hold) with its own indicators and weight total.  An enterprise goes to the
  first pool whose predicate holds; one that fits none is reported as outside the evaluation.
- ``Indicator``: a formula over figures, unit, direction, weight, benchmark, missing-value rule,
  and cap and floor (multiples of the weight; ``None`` = none).
- ``Benchmark`` modes: ``published`` (the year's published number), ``target`` (a fixed absolute
  target) — both score value ÷ benchmark × weight —; ``prior_average`` (``multiple`` × the pool's
  prior-year average, given with the run) and ``minmax`` (within the pool:
  weight × (low + (high − low)·(x − min)/(max − min)) / 100, Jingde's 20/100 by default).
  A lower-is-better indicator scores weight × max(0, 2 − x ÷ benchmark) in the ratio modes (the
  only documented lower-is-better formula: full weight at the benchmark, nothing at twice it) and
  the mirrored position (max − x)/(max − min) in ``minmax``.
- ``Missing`` rules: ``pool_average`` (the average points of the pool's enterprises that have the
  value — Huangyan's rule), ``zero``, ``deduction`` (minus ``points``).  A value is missing when a
  figure is absent or the formula cannot be computed (a zero divisor).
- ``exclusions`` (class T): predicates; an excluded enterprise is not scored, not ranked and not
  counted in any pool statistic, and is shown with the exclusion's reason.
- ``adjustments``: bonus and deduction items; the run gives a count per enterprise (a column named
  by the item's key), points × count, up to ``max_points``.
- ``vetoes``: one-vote vetoes; a vetoed enterprise keeps its score (shown) but takes the veto's
  class and no quota place.
- ``classification``: by quota shares or by score thresholds, with labels (see ``Classification``
  for the edge and tie rule).
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar, get_type_hints

from .formula import Formula, FormulaError

DIRECTIONS = {"higher": "越高越好", "lower": "越低越好"}
BENCHMARK_MODES = {
    "published": "公布基准值",
    "target": "固定目标值",
    "prior_average": "上年组内均值的倍数",
    "minmax": "组内最小—最大值",
}
MISSING_RULES = {"pool_average": "取组内平均得分", "zero": "计零分", "deduction": "扣固定分"}
OPERATORS = {
    "==": "等于", "!=": "不等于", "<": "小于", "<=": "不大于", ">": "大于", ">=": "不小于",
    "in": "属于", "not_in": "不属于", "startswith": "以…开头",
}
NUMERIC_OPERATORS = {"<", "<=", ">", ">="}
ATTRIBUTE_KINDS = {"text": "文本", "number": "数值"}
CLASSIFICATION_METHODS = {"quota": "按比例", "thresholds": "按分数线"}
ROUNDINGS = {"floor": "向下取整", "ceil": "向上取整", "round": "四舍五入"}
TIES = {"better": "并列同取较高类别", "worse": "并列同取较低类别"}


class SchemeError(ValueError):
    """A scheme that cannot be used; the message is Chinese and names the field."""


def _fail(where: str, message: str) -> None:
    raise SchemeError(f"{where}：{message}" if where else message)


def _number(where: str, label: str, value: Any, *, positive: bool = False, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(where, f"{label}应为数值，现为“{value}”")
    if positive and value <= 0:
        _fail(where, f"{label}应大于零，现为 {value:g}" if value else f"{label}不能为零")


def _choice(where: str, label: str, value: Any, choices: dict[str, str]) -> None:
    if value not in choices:
        allowed = "、".join(f"{k}（{v}）" for k, v in choices.items())
        _fail(where, f"{label}“{value}”无效，应为 {allowed} 之一")


def _unique(where: str, label: str, keys: list[str]) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            _fail(where, f"{label}“{key}”重复")
        seen.add(key)


def _exact(value: float) -> Fraction:
    """The decimal a person typed (0.2, not 0.2000000000000000111): shares and weights add exactly."""
    return Fraction(Decimal(repr(value)))


# -- the parts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A yearly figure of an enterprise, e.g. 实缴税金 (万元)."""

    key: str
    unit: str = ""
    allow_negative: bool = False

    def __post_init__(self):
        if not isinstance(self.key, str) or not self.key.strip():
            _fail("数据项", "名称不能为空")
        try:
            if Formula(self.key).names != [self.key]:
                raise FormulaError
        except FormulaError:
            _fail(f"数据项“{self.key}”", "名称不能含空格、运算符或括号，也不能以数字开头")


@dataclass(frozen=True)
class Attribute:
    """An enterprise attribute conditions may test: 规模, 行业代码, 投产年份 …"""

    key: str
    kind: str = "text"

    def __post_init__(self):
        if not isinstance(self.key, str) or not self.key.strip():
            _fail("属性", "名称不能为空")
        _choice(f"属性“{self.key}”", "类型", self.kind, ATTRIBUTE_KINDS)


@dataclass(frozen=True)
class Condition:
    """``field op value``: a test of one attribute or figure of an enterprise."""

    field: str
    op: str
    value: Any

    def __post_init__(self):
        _choice(f"条件“{self.field}”", "比较方式", self.op, OPERATORS)
        if self.op in ("in", "not_in", "startswith"):
            if not isinstance(self.value, list | tuple) or not self.value:
                _fail(f"条件“{self.field}”", f"“{OPERATORS[self.op]}”需要一组取值")
            object.__setattr__(self, "value", tuple(self.value))
        if self.op in NUMERIC_OPERATORS:
            _number(f"条件“{self.field}”", "比较值", self.value)


@dataclass(frozen=True)
class Benchmark:
    """How an indicator's value is turned into a share of its weight (see the module docstring)."""

    mode: str
    value: float | None = None       # published / target
    multiple: float | None = None    # prior_average
    low: float = 20.0                # minmax: percent of the weight at the pool minimum
    high: float = 100.0              # minmax: percent of the weight at the pool maximum

    def check(self, where: str) -> None:
        _choice(where, "基准方式", self.mode, BENCHMARK_MODES)
        if self.mode in ("published", "target"):
            if self.value is None:
                _fail(where, "缺少基准值")
            _number(where, "基准值", self.value, positive=True)
        elif self.mode == "prior_average":
            if self.multiple is None:
                _fail(where, "缺少上年均值的倍数")
            _number(where, "上年均值的倍数", self.multiple, positive=True)
        else:
            _number(where, "最小值得分比例", self.low)
            _number(where, "最大值得分比例", self.high)
            if not 0 <= self.low < self.high:
                _fail(where, f"最小—最大得分比例应满足 0 ≤ 最小（{self.low:g}）< 最大（{self.high:g}）")


@dataclass(frozen=True)
class Missing:
    """What an enterprise without the indicator's value gets."""

    rule: str = "zero"
    points: float | None = None  # deduction: the points taken off (a positive number)

    def check(self, where: str) -> None:
        _choice(where, "缺失值规则", self.rule, MISSING_RULES)
        if self.rule == "deduction":
            if self.points is None:
                _fail(where, "缺失值扣分规则缺少扣分值")
            _number(where, "缺失扣分值", self.points, positive=True)


@dataclass(frozen=True)
class Indicator:
    key: str
    formula: str
    weight: float
    benchmark: Benchmark
    unit: str = ""
    direction: str = "higher"
    missing: Missing = field(default_factory=Missing)
    cap: float | None = None    # points at most cap × weight; None = no cap
    floor: float | None = None  # points at least floor × weight; None = no floor (0 = floor at zero)

    def check(self, where: str, figures: set[str]) -> Formula:
        _number(where, "权重", self.weight, positive=True)
        _choice(where, "方向", self.direction, DIRECTIONS)
        self.benchmark.check(where)
        self.missing.check(where)
        _number(where, "封顶倍数", self.cap, allow_none=True)
        _number(where, "保底倍数", self.floor, allow_none=True)
        if self.cap is not None and self.floor is not None and self.floor > self.cap:
            _fail(where, f"保底倍数 {self.floor:g} 大于封顶倍数 {self.cap:g}")
        try:
            formula = Formula(self.formula)
        except FormulaError as exc:
            _fail(where, f"公式“{self.formula}”有误：{exc}")
        for name in formula.names:
            if name not in figures:
                _fail(where, f"公式“{self.formula}”引用了未定义的数据项“{name}”")
        return formula


@dataclass(frozen=True)
class Pool:
    """A ranking group: who is in it (``when``) and the indicators they are scored on."""

    key: str
    label: str
    indicators: tuple[Indicator, ...]
    when: tuple[Condition, ...] = ()
    total: float = 100.0


@dataclass(frozen=True)
class Exclusion:
    """Class T: enterprises the evaluation does not apply to (utilities, new producers …)."""

    key: str
    reason: str
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class Adjustment:
    """A bonus or deduction item: ``points`` per occurrence, at most ``max_points`` in all."""

    key: str
    label: str
    kind: str  # bonus | deduction
    points: float
    max_points: float | None = None

    KINDS: ClassVar[dict[str, str]] = {"bonus": "加分", "deduction": "扣分"}


@dataclass(frozen=True)
class Veto:
    """A one-vote veto: when ``when`` holds, the enterprise is put in ``outcome`` whatever its score."""

    key: str
    reason: str
    when: tuple[Condition, ...]
    outcome: str


@dataclass(frozen=True)
class ClassDef:
    key: str
    label: str
    share: float | None = None      # quota: the share of the pool, e.g. 0.2
    min_score: float | None = None  # thresholds: the lowest total of the class (inclusive)


@dataclass(frozen=True)
class Classification:
    """Classes by quota shares or by score thresholds.

    Quota (``method="quota"``), ranked within each pool among the enterprises that are scored and
    not vetoed (N of them):

    - Totals are compared after rounding to the scheme's ``decimals``, so float noise never splits
      a tie.
    - Place: with ``ties="better"`` an enterprise's place is 1 + the number of enterprises with a
      strictly higher total (tied enterprises share the best place: 1, 2, 2, 4); with
      ``ties="worse"`` it is the number with a higher or equal total (1, 3, 3, 4).
    - Edges: with the shares s₁ … s_k (adding up to 1) and cumulative shares c_j, class j ends at
      place b_j = rounding(N × c_j), computed exactly on the shares as typed, with ``rounding``
      ``floor`` (default: a class never exceeds its share through rounding), ``ceil`` or ``round``
      (half up).  An enterprise at place p gets the first class with p ≤ b_j: the upper edge is
      inclusive ("前20%（含）").  So with ties="better" a tie across an edge all go up, and a
      class may then hold more than its share; with ties="worse" they all go down.

    Thresholds (``method="thresholds"``): classes in descending order, each with ``min_score``
    (inclusive: a total equal to the line is in the class); the last class has no line and takes
    every lower total.
    """

    method: str
    classes: tuple[ClassDef, ...]
    rounding: str = "floor"
    ties: str = "better"

    def check(self) -> None:
        where = "分类"
        _choice(where, "分类方式", self.method, CLASSIFICATION_METHODS)
        _choice(where, "取整方式", self.rounding, ROUNDINGS)
        _choice(where, "并列规则", self.ties, TIES)
        if not self.classes:
            _fail(where, "至少需要一个类别")
        _unique(where, "类别", [c.key for c in self.classes])
        if self.method == "quota":
            for c in self.classes:
                _number(f"分类“{c.key}”", "比例", c.share, positive=True)
            total = sum(_exact(c.share) for c in self.classes)
            if total != 1:
                _fail(where, f"各类比例合计应为 100%，现为 {float(total) * 100:g}%")
        else:
            last = math.inf
            *upper, lowest = self.classes
            if lowest.min_score is not None:
                _fail(f"分类“{lowest.key}”", "最后一类收下其余所有企业，不设分数线")
            for c in upper:
                _number(f"分类“{c.key}”", "分数线", c.min_score)
                if c.min_score >= last:
                    _fail(f"分类“{c.key}”", f"分数线 {c.min_score:g} 应低于上一类的 {last:g}")
                last = c.min_score

    def label(self, key: str) -> str:
        return next((c.label for c in self.classes if c.key == key), key)


@dataclass(frozen=True)
class Scheme:
    name: str
    year: int
    figures: tuple[Figure, ...]
    pools: tuple[Pool, ...]
    classification: Classification
    jurisdiction: str = ""
    attributes: tuple[Attribute, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    excluded_class: ClassDef = field(default_factory=lambda: ClassDef("T", "不适合评价"))
    decimals: int = 4
    notes: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            _fail("方案", "名称不能为空")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            _fail("方案", f"年度应为整数，现为“{self.year}”")
        if isinstance(self.decimals, bool) or not isinstance(self.decimals, int) or not 0 <= self.decimals <= 8:
            _fail("方案", "小数位数应为 0 到 8 的整数")
        _unique("方案", "数据项", [f.key for f in self.figures])
        _unique("方案", "属性", [a.key for a in self.attributes])
        figures = {f.key for f in self.figures}
        both = figures & {a.key for a in self.attributes}
        if both:
            _fail("方案", f"“{sorted(both)[0]}”既是数据项又是属性")
        kinds = {a.key: a.kind for a in self.attributes} | dict.fromkeys(figures, "number")
        if not self.pools:
            _fail("方案", "至少需要一个评价组")
        _unique("方案", "评价组", [p.key for p in self.pools])
        formulas = {}
        for pool in self.pools:
            where = f"评价组“{pool.label}”"
            self._check_conditions(where, pool.when, kinds)
            _number(where, "满分", pool.total, positive=True)
            if not pool.indicators:
                _fail(where, "至少需要一个指标")
            _unique(where, "指标", [i.key for i in pool.indicators])
            for ind in pool.indicators:
                formulas[pool.key, ind.key] = ind.check(f"{where}指标“{ind.key}”", figures)
            weights = sum(_exact(i.weight) for i in pool.indicators)
            if weights != _exact(pool.total):
                _fail(where, f"指标权重合计为 {float(weights):g}，应为满分 {pool.total:g}")
        _unique("方案", "排除规则", [e.key for e in self.exclusions])
        for ex in self.exclusions:
            self._check_conditions(f"排除规则“{ex.reason}”", ex.when, kinds, required=True)
        _unique("方案", "加减分项", [a.key for a in self.adjustments])
        for adj in self.adjustments:
            where = f"加减分项“{adj.label}”"
            _choice(where, "类型", adj.kind, Adjustment.KINDS)
            _number(where, "每次分值", adj.points, positive=True)
            _number(where, "分值上限", adj.max_points, positive=True, allow_none=True)
            if adj.key in kinds:
                _fail(where, f"名称“{adj.key}”与数据项或属性重名")
        self.classification.check()
        class_keys = {c.key for c in self.classification.classes}
        if self.excluded_class.key in class_keys:
            _fail("方案", f"不参评类别“{self.excluded_class.key}”与评价类别重名")
        _unique("方案", "否决项", [v.key for v in self.vetoes])
        for veto in self.vetoes:
            where = f"否决项“{veto.reason}”"
            self._check_conditions(where, veto.when, kinds, required=True)
            if veto.outcome not in class_keys:
                _fail(where, f"结果类别“{veto.outcome}”不是方案中的类别")
        object.__setattr__(self, "_formulas", formulas)

    @staticmethod
    def _check_conditions(where, conditions, kinds, required=False):
        if required and not conditions:
            _fail(where, "至少需要一个条件")
        for cond in conditions:
            if cond.field not in kinds:
                _fail(where, f"条件引用了未定义的属性或数据项“{cond.field}”")
            if kinds[cond.field] == "text" and cond.op in NUMERIC_OPERATORS:
                _fail(where, f"文本属性“{cond.field}”不能用“{OPERATORS[cond.op]}”比较")
            if kinds[cond.field] == "number":
                if cond.op == "startswith":
                    _fail(where, f"数值“{cond.field}”不能用“以…开头”比较")
                for value in cond.value if isinstance(cond.value, tuple) else (cond.value,):
                    _number(where, f"“{cond.field}”的比较值", value)

    def formula(self, pool_key: str, indicator_key: str) -> Formula:
        return self._formulas[pool_key, indicator_key]

    def pool(self, key: str) -> Pool:
        return next(p for p in self.pools if p.key == key)

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, **kwargs) -> str:
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data: dict) -> Scheme:
        return _build(cls, data, "方案")

    @classmethod
    def from_json(cls, text: str) -> Scheme:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemeError(f"方案不是有效的 JSON：第{exc.lineno}行第{exc.colno}列 {exc.msg}") from None
        return cls.from_dict(data)


def _build(cls, data: Any, where: str):
    """A dataclass from JSON-shaped data: unknown and missing keys are refused by name."""
    if not isinstance(data, dict):
        _fail(where, f"应为对象，现为“{data}”")
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        _fail(where, f"未知字段“{unknown[0]}”")
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                _fail(where, f"缺少字段“{f.name}”")
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
    try:
        return cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - guarded by the checks above
        raise SchemeError(f"{where}：{exc}") from None


_PARTS = {c.__name__: c for c in (Figure, Attribute, Condition, Benchmark, Missing, Indicator, Pool,
                                   Exclusion, Adjustment, Veto, ClassDef, Classification)}


def _convert(hint, value, where):
    text = str(hint)
    if text.startswith("tuple["):
        inner = _PARTS[hint.__args__[0].__name__]
        if not isinstance(value, list | tuple):
            _fail(where, "应为列表")
        return tuple(_build(inner, v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(hint, type) and hint.__name__ in _PARTS:
        return _build(hint, value, where)
    if isinstance(value, str) and ("float" in text) and not isinstance(value, bool):
        try:  # numbers typed as text in an editor ("0.2") are read, not refused
            return float(Decimal(value))
        except InvalidOperation:
            return value
    return value
