"""The 亩均效益 engine: scores every enterprise of a run from a frozen snapshot, with NumPy.

    result = evaluate(scheme, table, prior_averages={"规上": {"亩均税收": 12.0}})
    result.enterprise("E001").total / .class_key / .lines

``table`` is the snapshot: a mapping of column name → sequence of equal length, one row per
enterprise-year — the id column, every figure and attribute the scheme declares, and a count
column per bonus/deduction item (absent = none).  NumPy arrays are used as they are; lists are
converted (``None`` = missing).  ``prior_averages`` gives, per pool and indicator, the prior-year
average that ``prior_average`` benchmarks multiply.

Everything is computed column-wise, pool by pool: formulas, benchmarks, caps and floors, missing
rules, adjustments, vetoes, ranking and classes.  What is kept per enterprise is only what cannot
be recomputed cheaply — each indicator's value and points, the total, the class and the place.
The line-by-line explanation (value, benchmark, ratio, weight, cap or floor applied, missing rule
and why, points; bonuses and deductions) is built on demand for one enterprise by
``Result.enterprise(id)``, from those arrays and the pool's statistics, with the same share
function the columns went through; a million explanations are never materialised.

NumPy rather than polars: NumPy is already installed (shapely needs it), and a run is a handful of
column divisions and one sort per pool, which NumPy does at the speed of the hand-written kernel
``bench/mujun_engine.py`` compares against; polars would add a large dependency for no measured gain.

Deterministic: no randomness, stable sorts, and ranking on totals rounded to the scheme's
decimals, so the same snapshot (same rows in the same order) gives identical results.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .scheme import (
    BENCHMARK_MODES,
    MISSING_RULES,
    Adjustment,
    Condition,
    Indicator,
    Pool,
    Scheme,
    _exact,
)

SCORED, EXCLUDED, VETOED = "scored", "excluded", "vetoed"
OUTSIDE = "不属于任何评价组"


class InputError(ValueError):
    """A snapshot the engine refuses; the message is Chinese and names the enterprise and field."""


# -- explanation records -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One indicator of one enterprise, as the explanation shows it."""

    indicator: str
    formula: str
    unit: str
    direction: str
    weight: float
    value: float | None       # None: missing
    benchmark: str            # e.g. "公布基准值 24.097" or "组内最小 2，最大 50"
    ratio: float | None       # share of the weight before any cap or floor
    limit: str | None         # "封顶 …" / "保底 …" when one applied
    missing: str | None       # why the value is missing and the rule used
    points: float

    def text(self, decimals: int = 4) -> str:
        parts = [f"{self.indicator}（{self.formula}）"]
        if self.value is None:
            parts.append(self.missing or "缺失")
        else:
            parts.append(f"值 {_fmt(self.value, decimals)}{self.unit}，{self.benchmark}，"
                         f"得分比例 {_fmt(self.ratio, decimals)} × 权重 {self.weight:g}")
            if self.limit:
                parts.append(self.limit)
        parts.append(f"得 {_fmt(self.points, decimals)} 分")
        return "：".join(parts[:2]) + "；" + "；".join(parts[2:])


@dataclass(frozen=True)
class AdjustmentLine:
    key: str
    label: str
    kind: str
    count: float
    points: float  # signed: a deduction is negative

    def text(self, decimals: int = 4) -> str:
        word = Adjustment.KINDS[self.kind]
        return f"{self.label}：{self.count:g} 次，{word} {_fmt(abs(self.points), decimals)} 分"


@dataclass(frozen=True)
class EnterpriseResult:
    id: Any
    status: str                  # scored | excluded | vetoed
    pool: str | None
    pool_label: str | None
    total: float | None          # rounded to the scheme's decimals; None when excluded
    class_key: str
    class_label: str
    reason: str | None           # exclusion or veto reason
    place: int | None            # quota classification: place within the pool
    lines: tuple[Line, ...] = ()
    adjustments: tuple[AdjustmentLine, ...] = ()

    def explanation(self, decimals: int = 4) -> list[str]:
        out = [line.text(decimals) for line in self.lines]
        out += [adj.text(decimals) for adj in self.adjustments]
        if self.status == SCORED:
            out.append(f"合计 {_fmt(self.total, decimals)} 分，{self.class_key}类（{self.class_label}）"
                       + (f"，组内第 {self.place} 名" if self.place else ""))
        elif self.status == VETOED:
            out.append(f"合计 {_fmt(self.total, decimals)} 分；一票否决（{self.reason}），"
                       f"定为{self.class_key}类（{self.class_label}）")
        else:
            out.append(f"不参评（{self.reason}），{self.class_key}类（{self.class_label}）")
        return out


def _fmt(x: float | None, decimals: int) -> str:
    if x is None:
        return "—"
    return f"{round(x, decimals):.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:.0f}"


# -- the run -----------------------------------------------------------------------------------


@dataclass
class _PoolRun:
    """What was computed for one pool: its rows (ascending) and, per indicator, value and points."""

    pool: Pool
    rows: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)
    points: dict[str, np.ndarray] = field(default_factory=dict)
    stats: dict[str, dict[str, float]] = field(default_factory=dict)


class Result:
    """The scores of one run.  Columns are full-length arrays in the snapshot's row order."""

    def __init__(self, scheme, ids, figures, pool_of, excluded_by, veto_by, total, adjust, class_idx, place,
                 pools):
        self.scheme = scheme
        self.ids = ids
        self._figures = figures
        self.pool_of = pool_of
        self.excluded_by = excluded_by
        self.veto_by = veto_by
        self.total = total
        self._adjust = adjust
        self.class_idx = class_idx
        self.place = place
        self._pools = pools
        self._index: dict | None = None
        self._lookups = 0
        self._class_keys = [c.key for c in scheme.classification.classes] + [scheme.excluded_class.key]

    def __len__(self) -> int:
        return len(self.ids)

    def class_keys(self) -> np.ndarray:
        """Every enterprise's class key (the excluded class for class T), as one array."""
        return np.asarray(self._class_keys, dtype=object)[self.class_idx]

    def counts(self) -> dict[str, dict[str, int]]:
        """Enterprises per class in each pool (vetoed included), plus the excluded ones."""
        keys = self._class_keys[:-1]
        out = {}
        for run in self._pools:
            tally = np.bincount(self.class_idx[run.rows], minlength=len(self._class_keys))
            out[run.pool.key] = {k: int(tally[i]) for i, k in enumerate(keys)}
        out[self.scheme.excluded_class.key] = int(np.count_nonzero(self.pool_of < 0))
        return out

    def columns(self) -> dict[str, np.ndarray]:
        """The run as columns (for a bulk insert): id, pool, status, total (rounded), class, reason, place."""
        scheme = self.scheme
        pool_keys = np.asarray([p.key for p in scheme.pools] + [None], dtype=object)
        status = np.where(self.pool_of < 0, EXCLUDED, np.where(self.veto_by >= 0, VETOED, SCORED)).astype(object)
        reasons = np.asarray([e.reason for e in scheme.exclusions] + [OUTSIDE], dtype=object)
        reason = np.full(len(self.ids), None, dtype=object)
        out = self.pool_of < 0
        reason[out] = reasons[self.excluded_by[out]]  # -1 (no exclusion matched) picks OUTSIDE
        vetoed = self.veto_by >= 0
        reason[vetoed] = np.asarray([v.reason for v in scheme.vetoes], dtype=object)[self.veto_by[vetoed]]
        return {"id": self.ids, "pool": pool_keys[self.pool_of], "status": status,
                "total": np.round(self.total, scheme.decimals), "class": self.class_keys(), "reason": reason,
                "place": self.place}

    def records(self) -> Iterator[EnterpriseResult]:
        """Every enterprise without its lines (for storing a run); lines come from ``enterprise``."""
        for i in range(len(self.ids)):
            yield self._row(i, lines=False)

    def enterprise(self, enterprise_id) -> EnterpriseResult:
        """One enterprise with its explanation lines, built now (a page asks for one at a time)."""
        i = self._find(enterprise_id)
        if i is None:
            raise KeyError(f"本次评价中没有企业“{enterprise_id}”")
        return self._row(i, lines=True)

    def _find(self, enterprise_id) -> int | None:
        # A few look-ups scan the id column (a millisecond for a million); many build a dict once.
        self._lookups += 1
        if self._index is None and self._lookups > 16:
            self._index = {k: i for i, k in enumerate(self.ids.tolist())}
        if self._index is not None:
            return self._index.get(enterprise_id)
        try:
            hits = np.flatnonzero(self.ids == enterprise_id)
        except (TypeError, ValueError):  # pragma: no cover - incomparable id types
            return None
        return int(hits[0]) if len(hits) else None

    # -- one row ------------------------------------------------------------------------------
    def _row(self, i: int, lines: bool) -> EnterpriseResult:
        scheme = self.scheme
        cls = scheme.classification
        ident = self.ids[i].item() if hasattr(self.ids[i], "item") else self.ids[i]
        key = self._class_keys[self.class_idx[i]]
        p = int(self.pool_of[i])
        if p < 0:
            ex = int(self.excluded_by[i])
            reason = scheme.exclusions[ex].reason if ex >= 0 else OUTSIDE
            return EnterpriseResult(ident, EXCLUDED, None, None, None, key, scheme.excluded_class.label,
                                    reason, None)
        run = self._pools[p]
        veto = int(self.veto_by[i])
        place = int(self.place[i])
        total = float(np.round(self.total[i], scheme.decimals))  # as columns() and the ranking round
        detail, adjustments = ((), ())
        if lines:
            pos = int(np.searchsorted(run.rows, i))
            detail = tuple(self._line(run, ind, i, pos) for ind in run.pool.indicators)
            adjustments = tuple(self._adjustment_lines(i))
        return EnterpriseResult(
            ident, VETOED if veto >= 0 else SCORED, run.pool.key, run.pool.label, total, key,
            cls.label(key), scheme.vetoes[veto].reason if veto >= 0 else None, place or None,
            detail, adjustments)

    def _line(self, run: _PoolRun, ind: Indicator, i: int, pos: int) -> Line:
        value = float(run.values[ind.key][pos])
        points = float(run.points[ind.key][pos])
        stats = run.stats[ind.key]
        bench = _benchmark_text(ind, stats)
        common = dict(indicator=ind.key, formula=ind.formula, unit=ind.unit, direction=ind.direction,
                      weight=ind.weight, benchmark=bench, points=points)
        if not math.isfinite(value):
            formula = self.scheme.formula(run.pool.key, ind.key)
            absent = [n for n in formula.names if not math.isfinite(self._figures[n][i])]
            why = f"缺少“{'”“'.join(absent)}”" if absent else "无法计算（除数为零）"
            rule = MISSING_RULES[ind.missing.rule]
            if ind.missing.rule == "pool_average":
                rule += f" {_fmt(stats['pool_average'], self.scheme.decimals)}"
            elif ind.missing.rule == "deduction":
                rule = f"扣 {ind.missing.points:g} 分"
            return Line(value=None, ratio=None, limit=None, missing=f"{why}，{rule}", **common)
        ratio = float(_share(ind, np.array([value]), stats)[0])
        raw = ratio * ind.weight
        limit = None
        if ind.cap is not None and raw > ind.cap * ind.weight:
            limit = f"封顶 {ind.cap:g} × 权重 = {_fmt(ind.cap * ind.weight, self.scheme.decimals)} 分"
        elif ind.floor is not None and raw < ind.floor * ind.weight:
            limit = f"保底 {ind.floor:g} × 权重 = {_fmt(ind.floor * ind.weight, self.scheme.decimals)} 分"
        return Line(value=value, ratio=ratio, limit=limit, missing=None, **common)

    def _adjustment_lines(self, i: int) -> Iterator[AdjustmentLine]:
        for adj in self.scheme.adjustments:
            count, points = self._adjust[adj.key]
            if count[i]:
                yield AdjustmentLine(adj.key, adj.label, adj.kind, float(count[i]), float(points[i]))


def _benchmark_text(ind: Indicator, stats: dict[str, float]) -> str:
    b = ind.benchmark
    if b.mode == "minmax":
        if "min" not in stats:
            return "组内无有效值"
        return f"组内最小 {stats['min']:g}，最大 {stats['max']:g}（得分 {b.low:g}%–{b.high:g}%）"
    label = BENCHMARK_MODES[b.mode]
    if b.mode == "prior_average":
        return f"{label}：{stats['prior']:g} × {b.multiple:g} = {stats['benchmark']:g}"
    return f"{label} {stats['benchmark']:g}"


def _share(ind: Indicator, x: np.ndarray, stats: dict[str, float]) -> np.ndarray:
    """The share of the weight a value earns, before caps and floors (the one scoring formula)."""
    b = ind.benchmark
    if b.mode == "minmax":
        lo, hi = stats.get("min", 0.0), stats.get("max", 0.0)
        if hi > lo:
            pos = (x - lo) / (hi - lo)
            if ind.direction == "lower":
                pos = 1.0 - pos
        else:  # everyone equal: nobody is behind anybody
            pos = np.ones_like(x)
        return (b.low + (b.high - b.low) * pos) / 100.0
    ratio = x / stats["benchmark"]
    if ind.direction == "lower":
        return np.maximum(0.0, 2.0 - ratio)
    return ratio


# -- the evaluation ----------------------------------------------------------------------------


def evaluate(scheme: Scheme, table: Mapping[str, Sequence], prior_averages: Mapping | None = None,
             id_column: str = "id") -> Result:
    """Scores every row of ``table`` on ``scheme``; refuses bad input with an ``InputError``."""
    if id_column not in table:
        raise InputError(f"快照缺少企业标识列“{id_column}”")
    ids = np.asarray(table[id_column])
    n = len(ids)
    _check_unique(ids)
    columns = _read_columns(scheme, table, ids, n)
    figures = {f.key: columns[f.key] for f in scheme.figures}

    excluded_by = np.full(n, -1, dtype=np.int16)
    for j, ex in enumerate(scheme.exclusions):
        excluded_by[_mask(ex.when, columns, n) & (excluded_by < 0)] = j
    pool_of = np.full(n, -1, dtype=np.int16)
    free = excluded_by < 0
    for p, pool in enumerate(scheme.pools):
        hit = _mask(pool.when, columns, n) & free
        pool_of[hit] = p
        free &= ~hit

    adjust, adjust_total = _adjustments(scheme, table, ids, n)
    total = np.full(n, np.nan)
    runs = []
    for p, pool in enumerate(scheme.pools):
        rows = np.flatnonzero(pool_of == p)
        run = _PoolRun(pool, rows)
        whole = len(rows) == n  # one pool holding everyone: no need to gather columns
        subtotal = np.zeros(len(rows))
        for ind in pool.indicators:
            formula = scheme.formula(pool.key, ind.key)
            sub = {k: (figures[k] if whole else figures[k][rows]) for k in formula.names}
            x = formula.evaluate(sub)
            run.values[ind.key] = x
            run.points[ind.key] = pts = _score(ind, x, pool, prior_averages, run.stats)
            subtotal += pts
        total[rows] = subtotal + (adjust_total if whole else adjust_total[rows])
        runs.append(run)

    veto_by = np.full(n, -1, dtype=np.int16)
    scored = pool_of >= 0
    for j, veto in enumerate(scheme.vetoes):
        veto_by[_mask(veto.when, columns, n) & scored & (veto_by < 0)] = j
    class_idx, place = _classify(scheme, runs, total, veto_by, n)
    return Result(scheme, ids, figures, pool_of, excluded_by, veto_by, total, adjust, class_idx, place, runs)


def _score(ind: Indicator, x: np.ndarray, pool: Pool, prior_averages, stats_out) -> np.ndarray:
    present = np.isfinite(x)
    all_present = bool(present.all())
    stats: dict[str, float] = {}
    b = ind.benchmark
    if b.mode in ("published", "target"):
        stats["benchmark"] = b.value
    elif b.mode == "prior_average":
        prior = _prior(prior_averages, pool, ind)
        stats["prior"], stats["benchmark"] = prior, prior * b.multiple
    elif present.any():
        valid = x if all_present else x[present]
        stats["min"], stats["max"] = float(valid.min()), float(valid.max())
    with np.errstate(invalid="ignore", over="ignore"):
        pts = _share(ind, x, stats) * ind.weight
    if ind.cap is not None or ind.floor is not None:
        lo = -np.inf if ind.floor is None else ind.floor * ind.weight
        hi = np.inf if ind.cap is None else ind.cap * ind.weight
        np.clip(pts, lo, hi, out=pts)
    if not all_present:
        gap = ~present
        if ind.missing.rule == "pool_average":
            stats["pool_average"] = float(pts[present].mean()) if present.any() else 0.0
            pts[gap] = stats["pool_average"]
        elif ind.missing.rule == "deduction":
            pts[gap] = -ind.missing.points
        else:
            pts[gap] = 0.0
    stats_out[ind.key] = stats
    return pts


def _prior(prior_averages, pool: Pool, ind: Indicator) -> float:
    try:
        value = float((prior_averages or {})[pool.key][ind.key])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"评价组“{pool.label}”指标“{ind.key}”按上年均值定基准，但没有提供上年组内均值") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"评价组“{pool.label}”指标“{ind.key}”的上年组内均值应大于零，现为 {value:g}")
    return value


def _classify(scheme: Scheme, runs: list[_PoolRun], total, veto_by, n):
    cls = scheme.classification
    k = len(cls.classes)
    class_idx = np.full(n, k, dtype=np.int16)  # k = the excluded class
    place = np.zeros(n, dtype=np.int64)
    for run in runs:
        rows = run.rows if not (veto_by[run.rows] >= 0).any() else run.rows[veto_by[run.rows] < 0]
        rounded = np.round(total[rows], scheme.decimals)
        if cls.method == "quota":
            order = np.argsort(-rounded, kind="stable")
            ascending = -rounded[order]
            side = "left" if cls.ties == "better" else "right"
            places = np.searchsorted(ascending, ascending, side=side) + (1 if side == "left" else 0)
            bounds = _quota_bounds(cls, len(rows))
            idx = np.searchsorted(bounds, places, side="left")
            target = rows[order]
            class_idx[target] = idx
            place[target] = places
        else:
            lines = np.array([c.min_score for c in cls.classes[:-1]], dtype=float)[::-1]
            class_idx[rows] = (k - 1) - np.searchsorted(lines, rounded, side="right")
    vetoed = np.flatnonzero(veto_by >= 0)
    if len(vetoed):
        outcome = np.array([[c.key for c in cls.classes].index(v.outcome) for v in scheme.vetoes])
        class_idx[vetoed] = outcome[veto_by[vetoed]]
    return class_idx, place


def _quota_bounds(cls, count: int) -> np.ndarray:
    """The last place of each class: rounding(count × cumulative share), exactly."""
    bounds, cumulative = [], Fraction(0)
    for c in cls.classes:
        cumulative += _exact(c.share)
        edge = cumulative * count
        if cls.rounding == "floor":
            bounds.append(math.floor(edge))
        elif cls.rounding == "ceil":
            bounds.append(math.ceil(edge))
        else:
            bounds.append(math.floor(edge + Fraction(1, 2)))
    bounds[-1] = count
    return np.array(bounds, dtype=np.int64)


# -- reading the snapshot ----------------------------------------------------------------------


def _check_unique(ids: np.ndarray) -> None:
    if len(ids) < 2:
        return
    ordered = np.sort(ids, kind="stable")
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(same):
        raise InputError(f"企业“{ordered[same[0]]}”在快照中出现了不止一次")


def _read_columns(scheme: Scheme, table, ids, n) -> dict[str, np.ndarray]:
    out = {}
    for fig in scheme.figures:
        col = _numbers(table, fig.key, ids, n)
        bad = np.flatnonzero(np.isinf(col) | (col < 0 if not fig.allow_negative else False))
        if len(bad):
            i = bad[0]
            what = "为负数" if col[i] < 0 and not fig.allow_negative else "不是有限的数"
            more = f"（另有 {len(bad) - 1} 家企业同样）" if len(bad) > 1 else ""
            raise InputError(f"企业“{ids[i]}”的“{fig.key}”{what}：{col[i]:g}{more}")
        out[fig.key] = col
    for attr in scheme.attributes:
        if attr.kind == "number":
            out[attr.key] = _numbers(table, attr.key, ids, n)
        else:
            _require(table, attr.key, n)
            out[attr.key] = np.asarray(table[attr.key], dtype=object if not _is_str_array(table[attr.key]) else None)
    return out


def _is_str_array(col) -> bool:
    return isinstance(col, np.ndarray) and col.dtype.kind == "U"


def _require(table, key, n) -> None:
    if key not in table:
        raise InputError(f"快照缺少“{key}”列")
    if len(table[key]) != n:
        raise InputError(f"快照中“{key}”列有 {len(table[key])} 行，企业标识列有 {n} 行")


def _numbers(table, key, ids, n) -> np.ndarray:
    _require(table, key, n)
    col = table[key]
    if isinstance(col, np.ndarray) and col.dtype.kind == "f":
        return col
    try:
        return np.asarray(col, dtype=float)
    except (TypeError, ValueError):
        pass
    out = np.empty(n)
    for i, v in enumerate(col):  # slow path, only for lists with blanks or text: finds the bad cell
        if v is None or (isinstance(v, str) and not v.strip()):
            out[i] = np.nan
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise InputError(f"企业“{ids[i]}”的“{key}”不是数字：“{v}”") from None
    return out


def _mask(conditions: tuple[Condition, ...], columns, n) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    for cond in conditions:
        mask &= _test(cond, columns[cond.field])
    return mask


def _test(cond: Condition, col: np.ndarray) -> np.ndarray:
    op, value = cond.op, cond.value
    if op == "in" or op == "not_in":
        hit = np.zeros(len(col), dtype=bool)
        for item in value:  # a few values: one comparison each, safe with blanks in text columns
            hit |= col == item
        return hit if op == "in" else ~hit
    if op == "startswith":
        text = col.astype(str) if col.dtype.kind != "U" else col
        hit = np.zeros(len(col), dtype=bool)
        for prefix in value:
            hit |= np.char.startswith(text, str(prefix))
        return hit
    with np.errstate(invalid="ignore"):
        return {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
                ">": np.greater, ">=": np.greater_equal}[op](col, value)


def _adjustments(scheme: Scheme, table, ids, n):
    """Per item: (count, signed points) columns; and their sum per enterprise."""
    out, total = {}, np.zeros(n)
    for adj in scheme.adjustments:
        if adj.key not in table:
            count = np.zeros(n)
        else:
            count = np.nan_to_num(_numbers(table, adj.key, ids, n))
            bad = np.flatnonzero(count < 0)
            if len(bad):
                raise InputError(f"企业“{ids[bad[0]]}”的加减分项“{adj.label}”次数为负数：{count[bad[0]]:g}")
        points = count * adj.points
        if adj.max_points is not None:
            np.minimum(points, adj.max_points, out=points)
        if adj.kind == "deduction":
            np.negative(points, out=points)
        out[adj.key] = (count, points)
        total += points
    return out, total
