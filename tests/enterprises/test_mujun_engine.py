"""Every scheme option of the 亩均 engine: benchmarks, missing values, caps and floors, pools, class T,
vetoes, bonuses and deductions, quota edges and ties, thresholds, bad snapshots, determinism."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuanqu.enterprises.mujun import InputError, Scheme, evaluate

from .mujun_schemes import indicator, make_scheme, run, scheme_dict


def firms(values: list[float], **extra) -> list[dict]:
    """Enterprises whose 甲 is each value (乙 fixed at the benchmark), ids f0, f1 …"""
    return [{"id": f"f{i}", "甲": v, "乙": 4, **extra} for i, v in enumerate(values)]


def points(result, firm: str, key: str) -> float:
    return next(x.points for x in result.enterprise(firm).lines if x.indicator == key)


# -- benchmark modes ---------------------------------------------------------------------------


def test_published_and_target_benchmarks_score_value_over_benchmark_times_weight():
    result = run(make_scheme(), firms([5, 25]))
    assert points(result, "f0", "指标甲") == 30 and points(result, "f1", "指标甲") == 150
    assert points(result, "f0", "指标乙") == 40
    line = result.enterprise("f0").lines[1]
    assert line.benchmark == "固定目标值 4" and line.ratio == 1.0


def test_prior_average_benchmark_is_a_multiple_of_the_pools_prior_year_average():
    data = scheme_dict()
    indicator(data, "指标甲")["benchmark"] = {"mode": "prior_average", "multiple": 2}
    scheme = Scheme.from_dict(data)
    result = run(scheme, firms([12]), prior_averages={"全部": {"指标甲": 4}})
    assert points(result, "f0", "指标甲") == 12 / 8 * 60
    assert result.enterprise("f0").lines[0].benchmark == "上年组内均值的倍数：4 × 2 = 8"
    with pytest.raises(InputError, match="评价组“全部企业”指标“指标甲”按上年均值定基准，但没有提供上年组内均值"):
        run(scheme, firms([12]))
    with pytest.raises(InputError, match="上年组内均值应大于零"):
        run(scheme, firms([12]), prior_averages={"全部": {"指标甲": 0}})


def test_min_max_benchmark_uses_the_pool_only_and_an_all_equal_pool_gets_full_marks():
    data = scheme_dict()
    indicator(data, "指标甲")["benchmark"] = {"mode": "minmax", "low": 0, "high": 100}
    scheme = Scheme.from_dict(data)
    # The excluded enterprise's 1000 is not the pool's maximum.
    rows = firms([0, 5, 10]) + [{"id": "新", "甲": 1000, "乙": 4, "投产年份": 2022}]
    data_t = scheme_dict(exclusions=[{"key": "新", "reason": "投产不足2年",
                                      "when": [{"field": "投产年份", "op": ">", "value": 2020}]}])
    indicator(data_t, "指标甲")["benchmark"] = {"mode": "minmax", "low": 0, "high": 100}
    result = run(Scheme.from_dict(data_t), rows)
    assert [points(result, f, "指标甲") for f in ("f0", "f1", "f2")] == [0, 30, 60]
    same = run(scheme, firms([7, 7]))
    assert points(same, "f0", "指标甲") == 60


def test_lower_is_better_scores_full_weight_at_the_benchmark_and_nothing_at_twice_it():
    data = scheme_dict()
    indicator(data, "指标甲")["direction"] = "lower"
    result = run(Scheme.from_dict(data), firms([10, 5, 20, 30]))
    assert [points(result, f"f{i}", "指标甲") for i in range(4)] == [60, 90, 0, 0]
    indicator(data, "指标甲")["benchmark"] = {"mode": "minmax"}
    result = run(Scheme.from_dict(data), firms([10, 5, 20]))
    assert [points(result, f"f{i}", "指标甲") for i in range(3)] == [pytest.approx(60 * (20 + 80 * 2 / 3) / 100), 60, 12]


# -- missing values ----------------------------------------------------------------------------


@pytest.mark.parametrize(("missing", "expected", "words"), [
    ({"rule": "zero"}, 0, "缺少“甲”，计零分"),
    ({"rule": "deduction", "points": 3}, -3, "缺少“甲”，扣 3 分"),
    ({"rule": "pool_average"}, (30 + 90) / 2, "缺少“甲”，取组内平均得分 60"),
])
def test_each_missing_value_rule(missing, expected, words):
    data = scheme_dict()
    indicator(data, "指标甲")["missing"] = missing
    result = run(Scheme.from_dict(data), firms([5, 15, None]))
    line = result.enterprise("f2").lines[0]
    assert line.points == expected and line.value is None and line.missing == words
    assert result.enterprise("f2").total == expected + 40


def test_a_zero_divisor_is_missing_and_says_so():
    data = scheme_dict()
    indicator(data, "指标甲")["formula"] = "甲 / 用地面积"
    result = run(Scheme.from_dict(data), [{"id": "零", "甲": 5, "乙": 4, "用地面积": 0}])
    line = result.enterprise("零").lines[0]
    assert line.value is None and line.points == 0 and line.missing == "无法计算（除数为零），计零分"


def test_pool_average_with_nobody_reporting_is_zero():
    data = scheme_dict()
    indicator(data, "指标甲")["missing"] = {"rule": "pool_average"}
    result = run(Scheme.from_dict(data), firms([None, None]))
    assert points(result, "f0", "指标甲") == 0


# -- caps and floors ---------------------------------------------------------------------------


def test_cap_floor_and_none():
    data = scheme_dict()
    indicator(data, "指标甲")["cap"] = 1.2
    indicator(data, "指标乙")["floor"] = 0
    rows = [{"id": "高", "甲": 50, "乙": -2}, {"id": "中", "甲": 10, "乙": 4}]
    result = run(Scheme.from_dict(data), rows)
    high = result.enterprise("高")
    assert [x.points for x in high.lines] == [72, 0]
    assert high.lines[0].limit == "封顶 1.2 × 权重 = 72 分" and high.lines[0].ratio == 5
    assert high.lines[1].limit == "保底 0 × 权重 = 0 分"
    assert result.enterprise("中").lines[0].limit is None
    # Without them: the ratio as it is, above the weight and below zero.
    plain = run(make_scheme(), rows).enterprise("高")
    assert [x.points for x in plain.lines] == [300, -20] and plain.lines[0].limit is None


# -- pools, class T, vetoes --------------------------------------------------------------------


def two_pools(**changes):
    data = scheme_dict(**changes)
    above = data["pools"][0] | {"key": "规上", "label": "规上企业", "when": [{"field": "规模", "op": "==", "value": "规上"}]}
    below = {"key": "规下", "label": "规下企业", "when": [{"field": "规模", "op": "==", "value": "规下"}],
             "indicators": [{"key": "指标甲", "formula": "甲", "weight": 100,
                             "benchmark": {"mode": "published", "value": 5}}]}
    data["pools"] = [above, below]
    return Scheme.from_dict(data)


def test_pools_by_attribute_with_their_own_indicators_and_rankings():
    rows = firms([10, 20]) + [{"id": "小", "甲": 5, "乙": 0, "规模": "规下"},
                              {"id": "外", "甲": 5, "乙": 0, "规模": "其他"}]
    result = run(two_pools(), rows)
    small = result.enterprise("小")
    assert small.pool == "规下" and small.total == 100 and len(small.lines) == 1 and small.place == 1
    assert result.enterprise("f1").place == 1 and result.enterprise("f0").place == 2
    outside = result.enterprise("外")
    assert (outside.status, outside.class_key, outside.reason, outside.total) == ("excluded", "T", "不属于任何评价组", None)
    assert result.counts()["T"] == 1 and sum(result.counts()["规上"].values()) == 2


def test_class_t_exclusions_by_industry_prefix_and_years_in_production_come_first_with_their_reason():
    exclusions = [
        {"key": "公用", "reason": "水电气供应企业", "when": [{"field": "行业代码", "op": "startswith", "value": ["D44", "D45", "D46"]}]},
        {"key": "新", "reason": "投产不足2年", "when": [{"field": "投产年份", "op": ">", "value": 2020}]},
    ]
    rows = firms([10, 10, 10, 10])
    rows[1]["行业代码"] = "D4411"
    rows[2]["投产年份"] = 2021
    rows[3]["投产年份"] = 2020  # two years in 2022: evaluated
    result = run(make_scheme(exclusions=exclusions), rows)
    assert [result.enterprise(f"f{i}").status for i in range(4)] == ["scored", "excluded", "excluded", "scored"]
    assert result.enterprise("f1").reason == "水电气供应企业" and result.enterprise("f2").reason == "投产不足2年"
    assert result.enterprise("f1").class_label == "不适合评价"
    # Two ranked and tied at place 1: A ends at floor(2 × 0.2) = 0, B at floor(2 × 0.6) = 1.
    assert list(result.class_keys()) == ["B", "T", "T", "B"]
    assert "不参评（水电气供应企业），T类（不适合评价）" in result.enterprise("f1").explanation()


def test_one_vote_veto_sets_the_class_keeps_the_score_and_takes_no_quota_place():
    vetoes = [{"key": "安全", "reason": "发生重大安全事故", "when": [{"field": "重大安全事故", "op": "==", "value": "是"}],
               "outcome": "D"}]
    rows = firms([100, 90, 80, 70, 60, 50])
    rows[0]["重大安全事故"] = "是"
    result = run(make_scheme(vetoes=vetoes), rows)
    top = result.enterprise("f0")
    assert (top.status, top.class_key, top.reason, top.place) == ("vetoed", "D", "发生重大安全事故", None)
    assert top.total == 100 / 10 * 60 + 40
    assert "一票否决（发生重大安全事故）" in top.explanation()[-1]
    # Five ranked: A ends at floor(5 × 0.2) = 1, so f1 (place 1 of the others) is A.
    assert [result.enterprise(f"f{i}").place for i in range(1, 6)] == [1, 2, 3, 4, 5]
    assert result.enterprise("f1").class_key == "A"


# -- bonuses and deductions --------------------------------------------------------------------


def test_bonus_and_deduction_items_count_times_points_up_to_their_maximum():
    adjustments = [{"key": "专利", "label": "发明专利", "kind": "bonus", "points": 2, "max_points": 5},
                   {"key": "环保处罚", "label": "环保处罚", "kind": "deduction", "points": 1.5}]
    rows = [{"id": "甲企", "甲": 10, "乙": 4, "专利": 3, "环保处罚": 2}, {"id": "乙企", "甲": 10, "乙": 4, "专利": None}]
    scheme = make_scheme(adjustments=adjustments)
    result = run(scheme, rows)
    firm = result.enterprise("甲企")
    assert firm.total == 100 + 5 - 3
    assert [(a.label, a.points) for a in firm.adjustments] == [("发明专利", 5), ("环保处罚", -3)]
    assert firm.explanation()[2:4] == ["发明专利：3 次，加分 5 分", "环保处罚：2 次，扣分 3 分"]
    assert result.enterprise("乙企").total == 100 and result.enterprise("乙企").adjustments == ()
    with pytest.raises(InputError, match="企业“甲企”的加减分项“发明专利”次数为负数：-1"):
        run(scheme, [rows[0] | {"专利": -1}])


# -- classification ----------------------------------------------------------------------------


def classes(result, n):
    return "".join(result.enterprise(f"f{i}").class_key for i in range(n))


@pytest.mark.parametrize(("rounding", "n", "expected"), [
    ("floor", 10, "AABBBBCCCD"),   # bounds 2, 6, 9, 10
    ("floor", 7, "ABBBCCD"),       # 1.4→1, 4.2→4, 6.65→6
    ("ceil", 7, "AABBBCC"),        # 2, 5, 7: no D
    ("round", 7, "ABBBCCC"),       # 1, 4, 7
    ("round", 10, "AABBBBCCCC"),   # 9.5 rounds half up to 10: no D
    ("floor", 1, "D"),             # a pool of one: every upper bound floors to 0
])
def test_quota_edges_follow_the_rounding_rule(rounding, n, expected):
    scheme = make_scheme(classification=scheme_dict()["classification"] | {"rounding": rounding})
    result = run(scheme, firms(list(range(100, 100 - n, -1))))
    assert classes(result, n) == expected


def test_quota_shares_add_exactly_so_a_20_percent_edge_of_ten_is_two():
    result = run(make_scheme(), firms(list(range(100, 90, -1))))
    assert [result.enterprise(f"f{i}").place for i in range(10)] == list(range(1, 11))
    assert result.counts()["全部"] == {"A": 2, "B": 4, "C": 3, "D": 1}


@pytest.mark.parametrize(("ties", "expected", "places"), [
    ("better", "AAABBBCCCD", [1, 2, 2, 4]),  # the tie across the A edge all go up
    ("worse", "ABBBBBCCCD", [1, 3, 3, 4]),   # … or all go down
])
def test_ties_across_a_quota_edge(ties, expected, places):
    scheme = make_scheme(classification=scheme_dict()["classification"] | {"ties": ties})
    values = [100, 90, 90, 80, 70, 60, 50, 40, 30, 20]
    result = run(scheme, firms(values))
    assert classes(result, 10) == expected
    assert [result.enterprise(f"f{i}").place for i in range(4)] == places


def test_totals_equal_to_the_schemes_decimals_are_tied_whatever_the_float_noise():
    rows = firms([10, 10, 5])
    rows[0]["乙"] = 4 + 1e-12
    result = run(make_scheme(), rows)
    assert result.enterprise("f0").place == result.enterprise("f1").place == 1


def test_thresholds_are_inclusive_and_the_last_class_takes_the_rest():
    classification = {"method": "thresholds", "classes": [
        {"key": "A", "label": "优先发展", "min_score": 100}, {"key": "B", "label": "提升发展", "min_score": 70},
        {"key": "C", "label": "帮扶转型"}]}
    result = run(make_scheme(classification=classification), firms([10, 9.99, 5, 0]))
    assert classes(result, 4) == "ABBC"  # 100, 99.94, 70 (on the line), 40
    assert result.enterprise("f2").class_label == "提升发展" and result.enterprise("f2").place is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=40), st.sampled_from(["floor", "ceil", "round"]),
       st.sampled_from(["better", "worse"]))
def test_quota_never_puts_a_higher_total_in_a_lower_class(values, rounding, ties):
    scheme = make_scheme(classification=scheme_dict()["classification"] | {"rounding": rounding, "ties": ties})
    result = run(scheme, firms(values))
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    got = [(v, order[k]) for v, k in zip(values, result.class_keys(), strict=True)]
    for v1, c1 in got:
        assert all(c1 <= c2 for v2, c2 in got if v2 < v1) and all(c1 == c2 for v2, c2 in got if v2 == v1)
    if len(set(values)) == len(values) and rounding == "floor":  # no ties: counts are the floor bounds
        assert sum(1 for _, c in got if c == 0) == int(len(values) * 2 // 10)


# -- bad snapshots -----------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "words"), [
    ({"用地面积": [10, -3]}, "企业“f1”的“用地面积”为负数：-3"),
    ({"甲": [1, "abc"]}, "企业“f1”的“甲”不是数字：“abc”"),
    ({"甲": [1, float("inf")]}, "企业“f1”的“甲”不是有限的数"),
    ({"id": ["f0", "f0"]}, "企业“f0”在快照中出现了不止一次"),
    ({"甲": [1]}, "快照中“甲”列有 1 行，企业标识列有 2 行"),
])
def test_bad_snapshots_are_refused_naming_the_enterprise_and_field(change, words):
    columns = {"id": ["f0", "f1"], "甲": [1, 2], "乙": [-1, 2], "用地面积": [10, 10], "规模": ["规上"] * 2,
               "行业代码": ["C"] * 2, "投产年份": [2000] * 2, "重大安全事故": ["否"] * 2} | change
    with pytest.raises(InputError, match=words):
        evaluate(make_scheme(), columns)


def test_a_missing_column_is_named():
    with pytest.raises(InputError, match="快照缺少“乙”列"):
        evaluate(make_scheme(), {"id": ["f0"], "甲": [1]})


# -- determinism and scale ---------------------------------------------------------------------


def test_rerunning_gives_identical_results_and_row_order_does_not_change_scores_or_classes():
    rng = np.random.default_rng(7)
    n = 500
    columns = {"id": np.arange(n), "甲": rng.gamma(2, 5, n), "乙": rng.normal(4, 2, n), "用地面积": rng.uniform(1, 80, n),
               "规模": np.where(rng.random(n) < 0.7, "规上", "规下"), "行业代码": np.full(n, "C33"),
               "投产年份": np.full(n, 2010.0), "重大安全事故": np.full(n, "否")}
    columns["甲"][rng.random(n) < 0.1] = np.nan
    scheme = two_pools()
    first, second = evaluate(scheme, columns), evaluate(scheme, columns)
    assert np.array_equal(first.total, second.total, equal_nan=True)
    assert np.array_equal(first.class_keys(), second.class_keys())
    perm = rng.permutation(n)
    shuffled = evaluate(scheme, {k: np.asarray(v)[perm] for k, v in columns.items()})
    back = np.empty(n, dtype=int)
    back[perm] = np.arange(n)
    assert np.allclose(shuffled.total[back], first.total, rtol=0, atol=1e-9)
    assert np.array_equal(shuffled.class_keys()[back], first.class_keys())
    assert [r.total for r in first.records()][:5] == [first.enterprise(i).total for i in range(5)]


def test_look_ups_by_id_find_the_same_rows_before_and_after_the_index_is_built_and_refuse_unknown_ids():
    result = run(make_scheme(), firms(list(range(30))))
    first = [result.enterprise(f"f{i}").total for i in range(30)]  # the 17th look-up builds the index
    assert first == [result.enterprise(f"f{i}").total for i in range(30)] == [i / 10 * 60 + 40 for i in range(30)]
    with pytest.raises(KeyError, match="本次评价中没有企业“无”"):
        result.enterprise("无")


def test_the_run_as_columns_matches_the_records_row_by_row():
    exclusions = [{"key": "公用", "reason": "水电气供应企业", "when": [{"field": "行业代码", "op": "in", "value": ["D44", None]}]}]
    vetoes = [{"key": "安全", "reason": "发生重大安全事故", "when": [{"field": "重大安全事故", "op": "==", "value": "是"}],
               "outcome": "D"}]
    rows = firms([10, 20, 30, 40]) + [{"id": "外", "甲": 1, "乙": 1, "规模": "其他"}]
    rows[1]["行业代码"] = "D44"
    rows[2]["行业代码"] = None  # a blank code matches the None in the list, and nothing breaks on it
    rows[3]["重大安全事故"] = "是"
    result = run(two_pools(exclusions=exclusions, vetoes=vetoes), rows)
    cols = result.columns()
    for i, record in enumerate(result.records()):
        assert (cols["id"][i], cols["pool"][i], cols["status"][i], cols["class"][i], cols["reason"][i]) == (
            record.id, record.pool, record.status, record.class_key, record.reason)
        assert (record.total is None and np.isnan(cols["total"][i])) or cols["total"][i] == record.total
    assert list(cols["status"]) == ["scored", "excluded", "excluded", "vetoed", "excluded"]
    assert list(cols["reason"])[1:] == ["水电气供应企业", "水电气供应企业", "发生重大安全事故", "不属于任何评价组"]
