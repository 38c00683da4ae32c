"""score(): matching rules for predicted against gold targets."""

from yuanqu.plans.extract import score

TEXT = "一、甲。新增企业20家，确保不发生重大事故。二、乙。新增企业20家。"


def _t(section, text, value, unit, start=None):
    start = TEXT.index(text) if start is None else start
    return {"section": section, "text": text, "value": value, "unit": unit,
            "start": start, "end": start + len(text)}


def test_perfect_and_empty():
    gold = {"targets": [{"section": "一", "text": "新增企业20家", "value": 20, "unit": "家"}]}
    pred = {"targets": [_t("一", "新增企业20家", 20, "家")]}
    assert score(pred, gold, TEXT)["targets"]["f1"] == 1.0
    assert score({"targets": []}, gold, TEXT)["targets"]["recall"] == 0.0


def test_value_and_section_must_agree():
    gold = {"targets": [{"section": "一", "text": "新增企业20家", "value": 20, "unit": "家"}]}
    assert score({"targets": [_t("一", "新增企业20家", 21, "家")]}, gold, TEXT)["targets"]["matched"] == 0
    assert score({"targets": [_t("一", "新增企业20家", 20, "个")]}, gold, TEXT)["targets"]["matched"] == 0
    second = TEXT.index("新增企业20家", 10)
    assert score({"targets": [_t("二", "新增企业20家", 20, "家", second)]}, gold,
                 TEXT)["targets"]["matched"] == 0


def test_repeated_gold_text_takes_occurrence_order():
    gold = {"targets": [
        {"section": "一", "text": "新增企业20家", "value": 20, "unit": "家"},
        {"section": "二", "text": "新增企业20家", "value": 20, "unit": "家"},
    ]}
    second = TEXT.index("新增企业20家", 10)
    pred = {"targets": [_t("一", "新增企业20家", 20, "家"),
                        _t("二", "新增企业20家", 20, "家", second)]}
    assert score(pred, gold, TEXT)["targets"]["matched"] == 2


def test_milestones_need_half_overlap():
    gold = {"targets": [{"section": "一", "text": "确保不发生重大事故", "value": 0, "unit": None},
                        {"section": "一", "text": "重大事故", "value": None, "unit": None}]}
    # a tiny overlap is not enough for a target without a value …
    start = TEXT.index("故")
    tiny = {"section": "一", "text": "故", "value": None, "unit": None, "start": start - 3,
            "end": start + 1}
    assert score({"targets": [tiny]}, gold, TEXT)["targets"]["matched"] == 1
    pred = {"targets": [_t("一", "确保不发生重大事故", 0, None)]}
    assert score(pred, gold, TEXT)["targets"]["matched"] == 1


def test_one_to_one():
    gold = {"targets": [{"section": "一", "text": "新增企业20家", "value": 20, "unit": "家"}]}
    pred = {"targets": [_t("一", "新增企业20家", 20, "家"), _t("一", "新增企业20家", 20, "家")]}
    result = score(pred, gold, TEXT)["targets"]
    assert (result["matched"], result["precision"], result["recall"]) == (1, 0.5, 1.0)


def test_without_text_spans_are_compared_as_strings():
    gold = {"targets": [{"section": "一", "text": "新增企业20家", "value": 20, "unit": "家"}]}
    pred = {"targets": [_t("一", "新增企业20家", 20, "家")]}
    assert score(pred, gold)["targets"]["f1"] == 1.0


def test_sections_and_measures_counted():
    gold = {"sections": [{"no": "一", "title": "甲"}, {"no": "二", "title": "乙"}],
            "measures": [{"section": "一", "no": "一是", "head": "丙"}], "targets": []}
    pred = {"sections": [{"no": "一", "title": "甲"}, {"no": "二", "title": "丁"}],
            "measures": [{"section": "一", "no": "一是", "head": "丙"}], "targets": []}
    result = score(pred, gold)
    assert result["sections"]["found"] == 1
    assert result["measures"]["found"] == 1
