"""The worked examples of reference/mujun.md §3.2, scored exactly, and the Huangyan 2022 fixture."""

import pytest

from yuanqu.enterprises.mujun import FIXTURES, Scheme, evaluate, load_fixture

from .mujun_schemes import table

HUANGYAN_ABOVE = {"id": "上", "规模": "规上", "用地面积": 50, "实缴税金": 1000, "工业增加值": 5000, "综合能耗": 2500,
                  "主要污染物排放量": 1.2, "年平均职工人数": 300, "R&D经费支出": 450, "主营业务收入": 15000,
                  "用电量": 900}
HUANGYAN_BELOW = {"id": "下", "规模": "规下", "用地面积": 10, "实缴税金": 80, "用电量": 500, "工业增加值": None,
                  "综合能耗": None, "主要污染物排放量": None, "年平均职工人数": None, "R&D经费支出": None,
                  "主营业务收入": None}


@pytest.fixture(scope="module")
def huangyan():
    return load_fixture("huangyan_2022")


def test_huangyan_above_scale_example_scores_82_0093_line_by_line(huangyan):
    firm = evaluate(huangyan, table([HUANGYAN_ABOVE, HUANGYAN_BELOW])).enterprise("上")
    assert firm.total == 82.0093
    lines = {line.indicator: line for line in firm.lines}
    expected = {"亩均税收": (20, 24.8994), "亩均增加值": (100, 14.6886), "单位能耗增加值": (2.0, 14.8478),
                "单位排放增加值": (4166.6667, 8.4520), "全员劳动生产率": (16.6667, 9.1878),
                "R&D经费支出占主营业务收入之比": (0.03, 9.9338)}
    assert list(lines) == list(expected)
    for key, (value, points) in expected.items():
        assert round(lines[key].value, 4) == value
        assert round(lines[key].points, 4) == points
        assert lines[key].limit is None and lines[key].missing is None
    assert lines["亩均税收"].benchmark == "公布基准值 24.097" and lines["亩均税收"].weight == 30
    # The total is the rounded sum of the unrounded points (the rounded points add to 82.0094).
    assert round(sum(round(line.points, 4) for line in firm.lines), 4) == 82.0094


def test_huangyan_below_scale_example_scores_68_5166(huangyan):
    firm = evaluate(huangyan, table([HUANGYAN_ABOVE, HUANGYAN_BELOW])).enterprise("下")
    assert firm.pool == "规下" and firm.total == 68.5166
    assert [(round(x.value, 4), round(x.points, 4)) for x in firm.lines] == [(8.0, 34.5030), (0.16, 34.0136)]


def test_huangyan_firm_without_emissions_data_gets_the_pool_average_score_on_that_indicator(huangyan):
    other = HUANGYAN_ABOVE | {"id": "上2", "工业增加值": 2000}  # emissions indicator 2000/1.2/4929.81×10 = 3.3808
    none = HUANGYAN_ABOVE | {"id": "无排放", "主要污染物排放量": None}
    result = evaluate(huangyan, table([HUANGYAN_ABOVE, other, none, HUANGYAN_BELOW]))
    line = next(x for x in result.enterprise("无排放").lines if x.indicator == "单位排放增加值")
    average = (5000 + 2000) / 2 / 1.2 / 4929.81 * 10
    assert line.value is None and line.points == pytest.approx(average)
    assert line.missing == f"缺少“主要污染物排放量”，取组内平均得分 {round(average, 4)}"
    # The other indicators of the firm are untouched by its missing emissions.
    assert result.enterprise("无排放").total == pytest.approx(82.0093 - 8.4520 + average, abs=1e-4)


def test_the_huangyan_fixture_carries_the_published_parameters_and_survives_json(huangyan):
    above, below = huangyan.pools
    assert [(i.key, i.weight, i.benchmark.value) for i in above.indicators] == [
        ("亩均税收", 30, 24.097), ("亩均增加值", 20, 136.16), ("单位能耗增加值", 20, 2.694),
        ("单位排放增加值", 10, 4929.81), ("全员劳动生产率", 10, 18.14),
        ("R&D经费支出占主营业务收入之比", 10, 0.0302)]
    assert [(i.key, i.weight, i.benchmark.value) for i in below.indicators] == [
        ("亩均税收", 50, 11.5932), ("单位电耗税收", 50, 0.2352)]
    assert [i.missing.rule for i in above.indicators] == ["zero"] * 3 + ["pool_average"] + ["zero"] * 2
    assert all(i.cap is None and i.floor is None for p in huangyan.pools for i in p.indicators)
    assert Scheme.from_json(huangyan.to_json()) == huangyan
    assert (FIXTURES / "huangyan_2022.json").is_file()


LINHAI = {
    "name": "临海 ≥3亩", "year": 2016,
    "figures": [{"key": k} for k in ("实缴税金", "用地面积", "销售收入", "工业增加值", "综合能耗", "COD排放量",
                                     "用水量", "年平均职工人数", "用电量")],
    "pools": [
        {"key": "3亩以上", "label": "3亩及以上", "when": [{"field": "用地面积", "op": ">=", "value": 3}], "indicators": [
            {"key": "亩均税收", "formula": "实缴税金 / 用地面积", "weight": 40, "benchmark": {"mode": "target", "value": 15}},
            {"key": "亩均销售收入", "formula": "销售收入 / 用地面积", "weight": 10,
             "benchmark": {"mode": "target", "value": 300}},
            {"key": "单位能耗工业增加值", "formula": "工业增加值 / 综合能耗", "weight": 20,
             "benchmark": {"mode": "target", "value": 3}},
            {"key": "单位COD排放工业增加值", "formula": "工业增加值 / COD排放量", "weight": 15,
             "benchmark": {"mode": "target", "value": 500}},
            {"key": "单位用水量工业增加值", "formula": "工业增加值 / 用水量", "weight": 5,
             "benchmark": {"mode": "target", "value": 0.1}},
            {"key": "全员劳动生产率", "formula": "工业增加值 / 年平均职工人数", "weight": 10,
             "benchmark": {"mode": "target", "value": 15}}]},
        {"key": "3亩以下", "label": "3亩以下", "indicators": [
            {"key": "亩均税收", "formula": "实缴税金 / 用地面积", "weight": 50, "benchmark": {"mode": "target", "value": 15}},
            {"key": "亩均销售收入", "formula": "销售收入 / 用地面积", "weight": 20,
             "benchmark": {"mode": "target", "value": 300}},
            {"key": "单位电耗税收", "formula": "实缴税金 / 用电量", "weight": 30, "benchmark": {"mode": "target", "value": 2}}]},
    ],
    "classification": {"method": "thresholds", "classes": [
        {"key": "A", "label": "A", "min_score": 100}, {"key": "B", "label": "B"}]},
}
# Inputs chosen so that the indicator values are those of §3.2: 20, 250, 2, 800, 0.05, 16.67.
LINHAI_FIRM = {"id": "临海", "用地面积": 10, "实缴税金": 200, "销售收入": 2500, "工业增加值": 1667, "综合能耗": 833.5,
               "COD排放量": 1667 / 800, "用水量": 33340, "年平均职工人数": 100, "用电量": 100}


def test_linhai_example_scores_112_61_with_cod_above_its_weight_when_uncapped():
    firm = evaluate(Scheme.from_dict(LINHAI), table([LINHAI_FIRM])).enterprise("临海")
    assert [round(x.value, 4) for x in firm.lines] == [20, 250, 2, 800, 0.05, 16.67]
    assert [round(x.points, 3) for x in firm.lines] == [53.333, 8.333, 13.333, 24.0, 2.5, 11.113]
    assert round(firm.total, 2) == 112.61 and firm.class_key == "A"
    assert firm.lines[3].points > firm.lines[3].weight and firm.lines[3].limit is None


def test_linhai_small_firms_fall_in_the_land_size_pool_below_3_mu():
    small = {"id": "小", "用地面积": 2, "实缴税金": 30, "销售收入": 600, "用电量": 10}
    firm = evaluate(Scheme.from_dict(LINHAI), table([LINHAI_FIRM, small])).enterprise("小")
    assert firm.pool == "3亩以下"
    assert firm.total == round(15 / 15 * 50 + 300 / 300 * 20 + 3 / 2 * 30, 4) == 115


JINGDE = {
    "name": "旌德 min–max", "year": 2022, "figures": [{"key": "x"}],
    "pools": [{"key": "组", "label": "组", "total": 30, "indicators": [
        {"key": "指标", "formula": "x", "weight": 30, "benchmark": {"mode": "minmax"}}]}],
    "classification": {"method": "thresholds", "classes": [{"key": "A", "label": "A", "min_score": 20},
                                                           {"key": "B", "label": "B"}]},
}


def test_jingde_min_max_example_gives_15_at_20_and_6_at_the_min_and_30_at_the_max():
    result = evaluate(Scheme.from_dict(JINGDE), {"id": ["min", "mid", "max"], "x": [2.0, 20.0, 50.0]})
    assert [result.enterprise(k).total for k in ("mid", "min", "max")] == [15.0, 6.0, 30.0]
    assert result.enterprise("mid").lines[0].benchmark == "组内最小 2，最大 50（得分 20%–100%）"
