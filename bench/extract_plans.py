"""Extraction quality on the real plans in ../shared/plans and on the seed, with their own scorers.

    .venv/bin/python bench/extract_plans.py [--plans DIR] [--seed DIR]

The same figures as ../shared/plans/measure.sh (target F1 per file, pooled micro F1, file 11's
tasks, the seed), read in-process, and once more with `task_targets=False` — a task in which no
target was found then yields none — because the pooled F1 follows the labelling rules (a task's
wording is not a target) while the task scorer counts a task as found only through a target.

Last, the bound those two scorers set together: the best pooled F1 that any extraction can reach
while finding 95 % of file 11's tasks (every gold target matched; each task no gold target lies in
needs one prediction of its own, which the pooled scorer counts as a false positive).
"""

from __future__ import annotations

import argparse
import ast
import bisect
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yuanqu.plans.extract import extract  # noqa: E402

PLANS = ROOT.parent / "shared" / "plans"
SEED = ROOT.parent / "shared" / "seed"
TASKS = "11_baotou_digital_gov_2022"


def _last_line(args: list[str]) -> str:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1]


def measure(plans: Path, seed: Path, out: Path, **options) -> None:
    for txt in sorted(plans.glob("*.txt")):
        body = txt.read_text(encoding="utf-8").split("\n", 1)[1]  # line 1 is "# source: …"
        (out / f"{txt.stem}.body").write_text(body, encoding="utf-8")
        (out / f"{txt.stem}.json").write_text(json.dumps(extract(body, **options), ensure_ascii=False),
                                              encoding="utf-8")
        score = _last_line([str(plans / "score_extract.py"), str(plans / f"{txt.stem}.gold.json"),
                            str(out / f"{txt.stem}.json")])
        print(f"  {txt.stem:32} {score}")
    golds = [str(g) for g in sorted(plans.glob("*.gold.json"))]
    print(f"  pooled:  {_last_line([str(plans / 'micro_f1.py'), str(out), *golds])}")
    if (plans / f"{TASKS}.tasks.json").is_file():
        tasks = _last_line([str(plans / "score_tasks.py"), str(out / f"{TASKS}.body"),
                            str(plans / f"{TASKS}.tasks.json"), str(out / f"{TASKS}.json")])
        print(f"  tasks {TASKS}: {tasks}")
    seed_text = next(iter(sorted(seed.glob("*.txt"))), None)
    if seed_text is not None and (seed / "plan.gold.json").is_file():
        pred = out / "seed.json"
        pred.write_text(json.dumps(extract(seed_text.read_text(encoding="utf-8-sig"), **options),
                                   ensure_ascii=False), encoding="utf-8")
        print(f"  seed:    {_last_line([str(plans / 'score_extract.py'), str(seed / 'plan.gold.json'), str(pred)])}")


def _time_only(plans: Path) -> re.Pattern:
    """micro_f1.py's own rule for the gold targets it leaves out (read from its source, not copied)."""
    tree = ast.parse((plans / "micro_f1.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "TIME_ONLY")
    return eval(compile(ast.Expression(node.value), "micro_f1.py", "eval"), {"re": re})  # noqa: S307


def bound(plans: Path, found_share: float = 0.95) -> str:
    time_only = _time_only(plans)
    gold = sum(1 for g in plans.glob("*.gold.json")
               for t in json.loads(g.read_text(encoding="utf-8"))["targets"] if not time_only.match(t["text"]))
    body = (plans / f"{TASKS}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    tasks = json.loads((plans / f"{TASKS}.tasks.json").read_text(encoding="utf-8"))
    starts, pos = [], 0  # each task's stretch of the body, as score_tasks.py finds it
    for task in tasks:
        at = body.find(task["text_head"], pos)
        at = body.find(task["text_head"]) if at < 0 else at
        starts.append(at if at >= 0 else pos)
        pos = max(pos, starts[-1])
    covered = set()
    for t in json.loads((plans / f"{TASKS}.gold.json").read_text(encoding="utf-8"))["targets"]:
        at = body.find(t["text"])
        if not time_only.match(t["text"]) and at >= starts[0]:
            covered.add(bisect.bisect_right(starts, at) - 1)
    extra = max(0, -(-int(found_share * 100) * len(tasks) // 100) - len(covered))
    precision = gold / (gold + extra)
    return (f"tasks {len(tasks)}, holding a pooled gold target {len(covered)}; finding {found_share:.0%} of them "
            f"needs {extra} predictions no pooled gold target can match: pooled precision <= {precision:.3f}, "
            f"F1 <= {2 * precision / (1 + precision):.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=PLANS)
    parser.add_argument("--seed", type=Path, default=SEED)
    args = parser.parse_args(argv)
    if not (args.plans / "score_extract.py").is_file():
        print(f"no scorers in {args.plans}: skipped")
        return 0
    for label, options in (("every task a target (default)", {}),
                           ("task_targets=False", {"task_targets": False})):
        print(label)
        with tempfile.TemporaryDirectory() as tmp:
            measure(args.plans, args.seed, Path(tmp), **options)
    if (args.plans / f"{TASKS}.tasks.json").is_file() and (args.plans / "micro_f1.py").is_file():
        print(f"bound of the two floors: {bound(args.plans)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
