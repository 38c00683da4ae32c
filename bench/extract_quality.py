"""Extraction quality on every labelled plan: the seed and the unseen holdout plans.

    .venv/bin/python bench/extract_quality.py

Prints target precision / recall / F1 per plan and pooled over the holdouts, with sections and
measures found. The holdouts under tests/plans/extract/holdout2 were labelled blind (before the
extractor was run on them); tests/plans/extract/holdout informed later fixes, so read it as optimistic;
tests/plans/extract/holdout3 holds two real published task lists, labelled before the extractor was run.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from yuanqu.plans.extract import extract, score  # noqa: E402

FOLDERS = ("holdout", "holdout2", "holdout3")
SEED = (ROOT / "src/yuanqu/plans/demo_data/seed_plan.txt", ROOT / "tests/plans/extract/plan.gold.json")


def plans():
    yield "seed", *SEED
    for folder in FOLDERS:
        for text in sorted((ROOT / "tests/plans/extract" / folder).glob("*.txt")):
            yield f"{folder}/{text.stem}", text, text.with_suffix(".gold.json")


def main() -> None:
    pooled = {folder: [0, 0, 0] for folder in FOLDERS}
    print(f"{'plan':44} {'P':>6} {'R':>6} {'F1':>6}  sections  measures")
    for name, text_path, gold_path in plans():
        text = text_path.read_text(encoding="utf-8")
        result = score(extract(text), json.loads(gold_path.read_text(encoding="utf-8")), text)
        t, s, m = result["targets"], result["sections"], result["measures"]
        print(f"{name:44} {t['precision']:6.3f} {t['recall']:6.3f} {t['f1']:6.3f}  "
              f"{s['found']:>3}/{s['gold']:<3}   {m['found']:>3}/{m['gold']:<3}")
        folder = name.split("/")[0]
        if folder in pooled:
            for i, key in enumerate(("matched", "predicted", "gold")):
                pooled[folder][i] += t[key]
    for folder, (matched, predicted, gold) in pooled.items():
        p, r = matched / predicted, matched / gold
        print(f"pooled {folder:37} {p:6.3f} {r:6.3f} {2 * p * r / (p + r):6.3f}")


if __name__ == "__main__":
    main()
