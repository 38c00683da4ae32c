"""The 亩均效益 engine against a bare NumPy kernel doing the same arithmetic, side by side.

    .venv/bin/python bench/mujun_engine.py [--rows N] [--rounds R]

One million enterprise-years (default) scored on Huangyan 2022's published scheme (the fixture):
70% 规上 on six indicators, 30% 规下 on two, 5% of 规上 without emissions data (pool-average rule),
then A/B/C/D by quota within each pool.  The bare kernel is the same sums written straight in
NumPy for this one scheme — no snapshot checks, no formula trees, no explanation arrays.  Both are
timed in the same run (best of R) and must agree on every total and class.
Floor: the engine at most 3× the bare kernel.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yuanqu.enterprises.mujun import evaluate, load_fixture  # noqa: E402

FLOOR = 3.0


def snapshot(n: int, seed: int = 2022) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    above = rng.random(n) < 0.7
    land = rng.uniform(3, 120, n)
    va = rng.gamma(2.0, 2500, n)
    emissions = rng.uniform(0.2, 5, n)
    emissions[above & (rng.random(n) < 0.05)] = np.nan
    return {
        "id": np.arange(n, dtype=np.int64),
        "规模": np.where(above, "规上", "规下"),
        "用地面积": land,
        "实缴税金": land * rng.gamma(2.0, 10, n),
        "工业增加值": va,
        "综合能耗": va / rng.uniform(1, 5, n),
        "主要污染物排放量": emissions,
        "年平均职工人数": rng.integers(10, 2000, n).astype(float),
        "R&D经费支出": va * rng.uniform(0, 0.1, n),
        "主营业务收入": va * rng.uniform(2, 5, n),
        "用电量": rng.uniform(5, 5000, n),
    }


def bare_kernel(t: dict[str, np.ndarray]):
    """Huangyan 2022, hand-written: the floor the engine is measured against."""
    n = len(t["id"])
    total = np.empty(n)
    klass = np.empty(n, dtype=np.int16)
    shares = np.array([0.2, 0.6, 0.95, 1.0])
    for size, parts in (
        ("规上", [("实缴税金", "用地面积", 24.097, 30), ("工业增加值", "用地面积", 136.16, 20),
                 ("工业增加值", "综合能耗", 2.694, 20), ("工业增加值", "主要污染物排放量", 4929.81, 10),
                 ("工业增加值", "年平均职工人数", 18.14, 10), ("R&D经费支出", "主营业务收入", 0.0302, 10)]),
        ("规下", [("实缴税金", "用地面积", 11.5932, 50), ("实缴税金", "用电量", 0.2352, 50)]),
    ):
        rows = np.flatnonzero(t["规模"] == size)
        score = np.zeros(len(rows))
        for top, bottom, benchmark, weight in parts:
            with np.errstate(divide="ignore", invalid="ignore"):
                pts = t[top][rows] / t[bottom][rows] / benchmark * weight
            gap = ~np.isfinite(pts)
            if gap.any():  # only emissions is missing here; Huangyan gives the pool's average score
                pts[gap] = pts[~gap].mean()
            score += pts
        total[rows] = score
        rounded = np.round(score, 4)
        order = np.argsort(-rounded, kind="stable")
        ascending = -rounded[order]
        places = np.searchsorted(ascending, ascending, side="left") + 1
        bounds = np.floor(shares * len(rows) + 1e-9).astype(np.int64)
        bounds[-1] = len(rows)
        klass[rows[order]] = np.searchsorted(bounds, places, side="left")
    return total, klass


def best(fn, rounds: int):
    times, out = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="enterprise-years (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each; the best counts")
    args = parser.parse_args(argv)

    scheme = load_fixture("huangyan_2022")
    table = snapshot(args.rows)
    evaluate(scheme, {k: v[:1000] for k, v in table.items()})  # warm up outside the timing

    bare_s, (bare_total, bare_class) = best(lambda: bare_kernel(table), args.rounds)
    engine_s, result = best(lambda: evaluate(scheme, table), args.rounds)
    t0 = time.perf_counter()
    firm = result.enterprise(int(table["id"][args.rows // 2]))
    explain_ms = (time.perf_counter() - t0) * 1000

    same_total = np.allclose(result.total, bare_total, rtol=0, atol=1e-9)
    same_class = np.array_equal(result.class_idx, bare_class)
    ratio = engine_s / bare_s
    print(f"rows: {args.rows:,}  pools: {result.counts()}")
    print(f"bare NumPy kernel: {bare_s:.3f} s   engine: {engine_s:.3f} s   ratio {ratio:.2f}× "
          f"(floor {FLOOR:g}×: {'ok' if ratio <= FLOOR else 'ABOVE'})   best of {args.rounds}")
    print(f"one enterprise's explanation on demand: {explain_ms:.1f} ms "
          f"({len(firm.lines)} lines, total {firm.total}, class {firm.class_key})")
    if not (same_total and same_class):
        print("error: the engine and the bare kernel disagree", file=sys.stderr)
        return 1
    return 0 if ratio <= FLOOR else 2


if __name__ == "__main__":
    sys.exit(main())
