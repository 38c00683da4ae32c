"""Unseen plans: regression floors for the extractor beyond the seed.

tests/plans/extract/holdout/ — three plans labelled by an evaluator; the weaknesses they revealed were
then fixed as general rules, so their scores are optimistic.
tests/plans/extract/holdout2/ — three more, labelled blind (before the extractor was ever run on them;
one gold entry corrected afterwards as a genuine mistake against LABELS.md, noted in its meta).
tests/plans/extract/holdout3/ — two real published task lists (each task's lead units in brackets), labelled
under /work/shared/plans/README.md before the extractor was run on them (see each meta).

Each floor is the target F1 measured when the plan was added, minus MARGIN: a guard against
regressions, not a statement of quality (`bench/extract_quality.py` prints the real figures).
Every section and measure must be found (a measure's head is its first clause, per LABELS).
"""

import json
from pathlib import Path

import pytest

from yuanqu.plans.extract import extract, score

HERE = Path(__file__).resolve().parent
MARGIN = 0.05
MEASURED_F1 = {
    # 街道 plan: 一、/（一）/1． , past-year review on top
    "holdout/street_2024": 0.9880,
    # 县 development zone 要点: 主要目标 paragraph, 1. measures
    "holdout/county_zone_2025": 0.9899,
    # 区 project push plan: (一) , half-width commas, named projects
    "holdout/district_projects_2025": 1.0000,
    # 市级 zone 要点: 2025年工作回顾 full of past figures, then （一） and 1., targets as "——" lines
    "holdout2/city_zone_review_2026": 0.9767,
    # 镇 乡村振兴+民生: 一是/二是 measures, half-width commas, ranges, scope counts that are not targets
    "holdout2/town_rural_livelihood_2026": 0.9885,
    # 开发区 安全生产/环保/营商环境: four numbering levels, named projects, decoy numbers
    "holdout2/zone_safety_env_business_2026": 0.9195,
    # 市 实施意见: 一、/（一）/1. numbered on, 5年内 counts, (牵头单位：…，配合单位：…)
    "holdout3/city_talent_tasks_2012": 1.0000,
    # 省 实施意见: tasks with (X牵头，Y按职责分工配合) and no deadline; each task still becomes a
    # milestone of its own (tasks.py), which the labelling rules do not count: hence the low floor
    "holdout3/province_opening_tasks_2022": 0.3125,
}


def _load(name):
    text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((HERE / f"{name}.gold.json").read_text(encoding="utf-8"))
    return text, gold


def test_every_holdout_plan_has_a_floor():
    found = sorted(f"{p.parent.name}/{p.name[: -len('.gold.json')]}" for p in HERE.glob("holdout*/*.gold.json"))
    assert found == sorted(MEASURED_F1)


@pytest.mark.parametrize("name", sorted(MEASURED_F1))
def test_target_f1_meets_its_floor(name):
    text, gold = _load(name)
    t = score(extract(text), gold, text)["targets"]
    floor = round(MEASURED_F1[name] - MARGIN, 4)
    assert t["f1"] >= floor, (name, t["f1"], floor, t["missed"], t["spurious"])


@pytest.mark.parametrize("name", sorted(MEASURED_F1))
def test_every_section_and_measure_is_found(name):
    text, gold = _load(name)
    pred = extract(text)
    result = score(pred, gold, text)
    for level in ("sections", "measures"):
        n = len(gold[level])
        assert result[level]["found"] == n == result[level]["predicted"], (level, result[level])
    assert [s["marker"] for s in pred["sections"]] == [s["marker"] for s in gold["sections"]]
