"""A 亩均 scheme is refused, with a Chinese message naming the field, when it cannot be used; and the
formula parser reads only + - * / and parentheses over named figures."""

import numpy as np
import pytest

from yuanqu.enterprises.mujun import Formula, FormulaError, Scheme, SchemeError

from .mujun_schemes import indicator, make_scheme, scheme_dict


def refused(data: dict, words: str) -> None:
    with pytest.raises(SchemeError) as caught:
        Scheme.from_dict(data)
    assert words in str(caught.value), str(caught.value)


def changed(key: str, **fields) -> dict:
    data = scheme_dict()
    indicator(data, key).update(fields)
    return data


@pytest.mark.parametrize(("data", "words"), [
    (changed("指标甲", weight=55), "评价组“全部企业”：指标权重合计为 95，应为满分 100"),
    (changed("指标甲", benchmark={"mode": "published", "value": 0}), "评价组“全部企业”指标“指标甲”：基准值不能为零"),
    (changed("指标甲", benchmark={"mode": "target", "value": -2}), "基准值应大于零，现为 -2"),
    (changed("指标甲", benchmark={"mode": "published"}), "指标“指标甲”：缺少基准值"),
    (changed("指标甲", benchmark={"mode": "prior_average", "multiple": 0}), "上年均值的倍数不能为零"),
    (changed("指标甲", benchmark={"mode": "minmax", "low": 50, "high": 40}), "应满足 0 ≤ 最小（50）< 最大（40）"),
    (changed("指标甲", benchmark={"mode": "median", "value": 3}), "基准方式“median”无效"),
    (changed("指标甲", formula="甲 / 税金"), "公式“甲 / 税金”引用了未定义的数据项“税金”"),
    (changed("指标甲", formula="甲 / (乙"), "公式“甲 / (乙”有误：第5个字符处的“(”没有对应的“)”"),
    (changed("指标甲", formula="甲 ** 2"), "第4个字符处不应出现“*”"),
    (changed("指标甲", formula="甲 乙"), "第3个字符处多出“乙”"),
    (changed("指标甲", formula=""), "公式为空"),
    (changed("指标甲", direction="up"), "方向“up”无效"),
    (changed("指标甲", missing={"rule": "deduction"}), "缺失值扣分规则缺少扣分值"),
    (changed("指标甲", missing={"rule": "guess"}), "缺失值规则“guess”无效"),
    (changed("指标甲", cap=1.0, floor=1.5), "保底倍数 1.5 大于封顶倍数 1"),
    (changed("指标甲", weight="六十"), "权重应为数值，现为“六十”"),
    (changed("指标甲", colour="red"), "方案.pools[0].indicators[0]：未知字段“colour”"),
    (scheme_dict(pools=[]), "方案：至少需要一个评价组"),
    (scheme_dict(classification={"method": "quota", "classes": [{"key": "A", "label": "A", "share": 0.5},
                                                                {"key": "B", "label": "B", "share": 0.45}]}),
     "分类：各类比例合计应为 100%，现为 95%"),
    (scheme_dict(classification={"method": "thresholds", "classes": [
        {"key": "A", "label": "A", "min_score": 60}, {"key": "B", "label": "B", "min_score": 80},
        {"key": "C", "label": "C"}]}), "分类“B”：分数线 80 应低于上一类的 60"),
    (scheme_dict(classification={"method": "thresholds", "classes": [
        {"key": "A", "label": "A", "min_score": 60}, {"key": "B", "label": "B", "min_score": 10}]}),
     "分类“B”：最后一类收下其余所有企业，不设分数线"),
    (scheme_dict(classification={"method": "quota", "classes": [{"key": "A", "label": "A", "share": 1}],
                                 "ties": "random"}), "并列规则“random”无效"),
    (scheme_dict(classification={"method": "quota", "classes": [{"key": "T", "label": "T", "share": 1}]}),
     "不参评类别“T”与评价类别重名"),
    (scheme_dict(vetoes=[{"key": "v", "reason": "重大事故", "when": [{"field": "重大安全事故", "op": "==", "value": "是"}],
                          "outcome": "E"}]), "否决项“重大事故”：结果类别“E”不是方案中的类别"),
    (scheme_dict(vetoes=[{"key": "v", "reason": "重大事故", "when": [], "outcome": "D"}]), "否决项“重大事故”：至少需要一个条件"),
    (scheme_dict(exclusions=[{"key": "x", "reason": "新企业", "when": [{"field": "成立日期", "op": ">", "value": 1}]}]),
     "排除规则“新企业”：条件引用了未定义的属性或数据项“成立日期”"),
    (scheme_dict(exclusions=[{"key": "x", "reason": "新", "when": [{"field": "投产年份", "op": "in", "value": [2021, "去年"]}]}]),
     "排除规则“新”：“投产年份”的比较值应为数值，现为“去年”"),
    (scheme_dict(exclusions=[{"key": "x", "reason": "大", "when": [{"field": "规模", "op": ">", "value": 1}]}]),
     "文本属性“规模”不能用“大于”比较"),
    (scheme_dict(exclusions=[{"key": "x", "reason": "公用", "when": [{"field": "行业代码", "op": "startswith", "value": []}]}]),
     "“以…开头”需要一组取值"),
    (scheme_dict(adjustments=[{"key": "专利", "label": "专利", "kind": "bonus", "points": 0}]), "加减分项“专利”：每次分值不能为零"),
    (scheme_dict(adjustments=[{"key": "甲", "label": "甲项", "kind": "bonus", "points": 1}]), "名称“甲”与数据项或属性重名"),
    (scheme_dict(figures=[{"key": "甲"}, {"key": "甲"}, {"key": "乙"}, {"key": "用地面积"}]), "数据项“甲”重复"),
    (scheme_dict(figures=[{"key": "甲 乙"}]), "数据项“甲 乙”：名称不能含空格、运算符或括号"),
    (scheme_dict(year="2022年"), "年度应为整数"),
    ({k: v for k, v in scheme_dict().items() if k != "classification"}, "方案：缺少字段“classification”"),
])
def test_an_unusable_scheme_is_refused_naming_the_field(data, words):
    refused(data, words)


def test_weights_add_exactly_as_typed_and_pool_totals_other_than_100_are_allowed():
    data = scheme_dict()
    pool = data["pools"][0]
    pool["total"] = 1
    pool["indicators"][0]["weight"], pool["indicators"][1]["weight"] = 0.7, 0.3
    Scheme.from_dict(data)
    pool["indicators"][0]["weight"], pool["indicators"][1]["weight"] = 0.1 + 0.2, 0.7
    refused(data, "指标权重合计为 1")  # 0.30000000000000004 is not what anyone typed


def test_shares_typed_as_decimals_add_to_one_exactly():
    data = scheme_dict(classification={"method": "quota", "classes": [
        {"key": k, "label": k, "share": s} for k, s in zip("ABCDE", [0.1, 0.2, 0.3, 0.3, 0.1], strict=True)]})
    shares = [c.share for c in Scheme.from_dict(data).classification.classes]
    assert sum(shares) != 1.0  # as floats they miss; as the decimals typed they add up, and are accepted


def test_numbers_typed_as_text_are_read_and_bad_json_is_named():
    data = changed("指标甲", weight="60", benchmark={"mode": "published", "value": "10"})
    scheme = Scheme.from_dict(data)
    assert scheme.pools[0].indicators[0].weight == 60.0
    with pytest.raises(SchemeError, match="方案不是有效的 JSON：第1行"):
        Scheme.from_json("{\"name\": ")


def test_json_round_trip_keeps_every_option():
    data = scheme_dict(
        exclusions=[{"key": "公用", "reason": "水电气", "when": [{"field": "行业代码", "op": "in", "value": ["D44", "D45"]}]}],
        adjustments=[{"key": "专利", "label": "发明专利", "kind": "bonus", "points": 2, "max_points": 5}],
        vetoes=[{"key": "安全", "reason": "重大事故", "when": [{"field": "重大安全事故", "op": "==", "value": "是"}],
                 "outcome": "D"}],
        excluded_class={"key": "T", "label": "暂不评价"}, decimals=2, jurisdiction="海门经济技术开发区")
    indicator(data, "指标甲").update(cap=1.5, floor=0, direction="lower", missing={"rule": "deduction", "points": 3})
    scheme = Scheme.from_dict(data)
    again = Scheme.from_json(scheme.to_json())
    assert again == scheme and again.exclusions[0].when[0].value == ("D44", "D45")
    assert again.pools[0].indicators[0].missing.points == 3 and again.excluded_class.label == "暂不评价"


@pytest.mark.parametrize(("text", "names", "value"), [
    ("实缴税金 / 用地面积", ["实缴税金", "用地面积"], 2.0),
    ("R&D经费支出 / (主营业务收入 - 实缴税金) * 100", ["R&D经费支出", "主营业务收入", "实缴税金"], 25.0),
    ("-实缴税金 + 2.5e1", ["实缴税金"], 5.0),
    ("(用地面积)", ["用地面积"], 10.0),
])
def test_formula_reads_names_and_numbers_and_computes_on_columns(text, names, value):
    formula = Formula(text)
    assert formula.names == names
    columns = {"实缴税金": np.array([20.0]), "用地面积": np.array([10.0]), "R&D经费支出": np.array([20.0]),
               "主营业务收入": np.array([100.0])}
    assert formula.evaluate(columns)[0] == value


@pytest.mark.parametrize("text", ["__import__('os')", "a b", "a ** b", "a < b", "f(a)", "1 +", "2x"])
def test_formula_refuses_anything_but_arithmetic(text):
    with pytest.raises(FormulaError):
        Formula(text).evaluate({})


def test_a_scheme_built_in_python_is_checked_the_same_way():
    base = make_scheme()
    pool = base.pools[0]
    bad = pool.indicators[0].__class__(**{**pool.indicators[0].__dict__, "weight": 10})
    with pytest.raises(SchemeError, match="指标权重合计为 50"):
        Scheme(name="x", year=2022, figures=base.figures, attributes=base.attributes,
               pools=(pool.__class__(pool.key, pool.label, (bad, pool.indicators[1])),),
               classification=base.classification)
