"""Second held-out set (tests/extract/holdout2/): three fresh 2026 plans, blind-labelled.

Each plan was written and hand-labelled (gold JSON, rules in the seed's LABELS.md) before the
extractor was run on it, by a labeller who had not read the extractor's source or tests.  One
gold entry was corrected after the run, as a genuine mistake against LABELS.md (noted in that
plan's gold meta).  The floors are the target F1 measured when the plans were added, minus
0.05: they guard against regressions, they are not a statement of good quality.

Measures are asserted too: a measure's head is its first clause (LABELS), so
`（二）聚焦项目攻坚，持续扩大有效投资` reads as "聚焦项目攻坚".
"""

import json
from pathlib import Path

import pytest

from yuanqu.plans.extract import extract, score

HOLDOUT = Path(__file__).resolve().parent / "holdout2"

# plan name -> F1 measured when added (floor = measured - 0.05)
MEASURED_F1 = {
    # 市级 zone 要点: 一、2025年工作回顾 (many past figures) / 二、2026年工作安排 with （一） and 1.,
    # 主要预期目标 as "——" lines; 三、保障措施
    "city_zone_review_2026": 0.9767,
    # 镇 乡村振兴+民生 plan: 一、 headings on their own line, 一是/二是 measures, half-width commas,
    # ranges (2-3个, 15至20户, 800至1000亩), scope counts that are not targets
    "town_rural_livelihood_2026": 0.9885,
    # 开发区 安全生产/环保/营商环境 plan: 一、/（一）/1./（1） four levels, 总体目标 paragraph,
    # named projects with amounts and steps, decoy numbers (十四五, 5G, 12345, 24小时, 国三, Ⅳ类)
    "zone_safety_env_business_2026": 0.9195,
}
MARGIN = 0.05


def _load(name):
    text = (HOLDOUT / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((HOLDOUT / f"{name}.gold.json").read_text(encoding="utf-8"))
    return text, gold


def test_every_holdout2_plan_has_a_floor():
    names = sorted(p.name[: -len(".gold.json")] for p in HOLDOUT.glob("*.gold.json"))
    assert names == sorted(MEASURED_F1)
    for name in names:
        assert (HOLDOUT / f"{name}.txt").is_file()


@pytest.mark.parametrize("name", sorted(MEASURED_F1))
def test_holdout2_target_f1_meets_floor(name):
    text, gold = _load(name)
    t = score(extract(text), gold, text)["targets"]
    floor = round(MEASURED_F1[name] - MARGIN, 4)
    assert t["f1"] >= floor, (name, t["f1"], floor, t["missed"], t["spurious"])


@pytest.mark.parametrize("name", sorted(MEASURED_F1))
def test_holdout2_sections_all_found(name):
    text, gold = _load(name)
    pred = extract(text)
    r = score(pred, gold, text)
    n = len(gold["sections"])
    assert r["sections"] == {"found": n, "gold": n, "predicted": n}, r["sections"]
    assert [s["marker"] for s in pred["sections"]] == [s["marker"] for s in gold["sections"]]


@pytest.mark.parametrize("name", sorted(MEASURED_F1))
def test_holdout2_measures_all_found(name):
    text, gold = _load(name)
    r = score(extract(text), gold, text)
    n = len(gold["measures"])
    assert r["measures"]["found"] == n == r["measures"]["predicted"], r["measures"]
