"""Plans of other shapes (hand-written, see plans/): the extractor must generalise.

Each plan has a small hand-made expectation: (section, measure, value, value_max, unit,
comparator, kind) for every target, and numbers that describe the past must not appear.
"""

from collections import Counter
from pathlib import Path

import pytest

from yuanqu.plans.extract import extract

PLANS = Path(__file__).resolve().parent / "plans"


def _read(name):
    text = (PLANS / name).read_text(encoding="utf-8")
    return text, extract(text)


def _rows(result):
    """The targets as a multiset of comparable rows (None section/measure/unit → "")."""
    return Counter(
        (t["section"] or "", t["measure"] or "", t["value"], t["value_max"], t["unit"] or "",
         t["comparator"], t["kind"])
        for t in result["targets"]
    )


def _expected(rows):
    return Counter((s, m, v, vmax, u or "", c, k) for s, m, v, vmax, u, c, k in rows)


# --------------------------------------------------------------------- county --
# （一） as the top level, 1． items, full-width punctuation throughout.
COUNTY = [
    ("一", "1．", 30, None, "个", ">=", "project"),        # 新开工亿元以上产业项目不少于30个
    ("一", "1．", 120, None, "亿元", ">=", "quantity"),    # 完成工业投资120亿元以上
    ("一", "1．", None, None, None, "=", "project"),       # 年产10万吨新型建材项目 … 开工
    ("一", "1．", None, None, None, "=", "project"),       # 华润光伏电站项目 … 开工
    ("一", "2．", 25, None, "家", ">=", "quantity"),
    ("一", "2．", 500, None, "亿元", ">", "quantity"),     # 突破
    ("一", "2．", 45, None, "%", ">=", "ratio"),
    ("一", "3．", 2.6, None, "%", ">=", "ratio"),          # 提高到2.6%
    ("一", "3．", 15, None, "家", ">=", "quantity"),
    ("一", "3．", 5, None, "个", ">=", "quantity"),
    ("二", "1．", 85, None, "万亩", ">=", "quantity"),     # 稳定在85万亩以上
    ("二", "1．", 6.2, None, "亿斤", "approx", "quantity"),
    ("二", "2．", 3000, None, "户", ">=", "quantity"),
    ("二", "2．", 100, None, "%", ">=", "ratio"),
    ("二", "2．", None, None, None, "=", "milestone"),     # 实现全覆盖
    ("二", "3．", 8, None, "%", "approx", "ratio"),
    ("三", "1．", 8000, None, "人", ">=", "quantity"),
    ("三", "1．", 4, None, "%", "<=", "ratio"),            # 控制在4%以内
    ("三", "2．", 6, None, "所", ">=", "quantity"),
    ("三", "2．", 2000, None, "个", ">=", "quantity"),
    ("三", "2．", None, None, None, "=", "milestone"),     # 完成…建设工程
    ("三", "3．", 0, None, None, "=", "milestone"),        # 确保不发生…
    ("三", "3．", 35, None, "微克/立方米", "<=", "quantity"),
]


def test_county_structure():
    _, result = _read("county_plan.txt")
    assert [(s["no"], s["marker"]) for s in result["sections"]] == [
        ("一", "（一）"), ("二", "（二）"), ("三", "（三）")]
    assert result["sections"][0]["title"] == "坚持工业强县，加快产业转型升级"
    assert [(m["section"], m["no"]) for m in result["measures"]] == [
        (s, f"{i}．") for s in "一二三" for i in (1, 2, 3)]
    assert result["measures"][0]["head"] == "抓好项目建设"


def test_county_targets():
    _, result = _read("county_plan.txt")
    assert _rows(result) == _expected(COUNTY)


def test_county_details():
    text, result = _read("county_plan.txt")
    by_text = {t["text"]: t for t in result["targets"]}
    projects = [t for t in result["targets"] if t["kind"] == "project" and t["value"] is None]
    assert [t["indicator"] for t in projects] == ["年产10万吨新型建材项目", "华润光伏电站项目"]
    assert all(t["milestone"] == "开工" and t["deadline_text"] == "年内" for t in projects)
    # "落实两个责任" is a set phrase, 10万吨 is part of a project's name, PM2.5 a label
    values = {t["value"] for t in result["targets"]}
    assert 10 not in values and 2.5 not in values
    assert by_text["全年新开工亿元以上产业项目不少于30个"]["deadline_text"] == "全年"
    assert by_text["行政村污水处理设施实现全覆盖"]["milestone"] == "全覆盖"


# ----------------------------------------------------------------------- town --
# Half-width (一) sections, 1、 items, 主要预期目标 before the measures.
TOWN = [
    # 主要预期目标 paragraph: before the first section
    ("", "", 6.5, None, "%", "approx", "ratio"),           # 地区生产总值增长6.5%左右
    ("", "", 12, None, "亿元", ">=", "quantity"),          # 一般公共预算收入达到12亿元
    ("", "", 20, None, "家", ">=", "quantity"),            # 新增规上企业不少于20家
    ("", "", 3, None, "%", "<=", "ratio"),                 # 单位GDP能耗下降3%以内
    ("", "", 3.5, None, "%", "<=", "ratio"),               # 城镇登记失业率控制在3.5%以内
    ("", "", 80, 90, "亿元", "range", "quantity"),         # 完成固定资产投资80-90亿元
    ("一", "1、", 15, None, "个", ">=", "project"),        # 招引超亿元项目15个以上
    ("一", "1、", 2, None, "个", ">=", "project"),         # 10亿元以上项目不少于2个
    ("一", "1、", 20, None, "亿元", ">=", "project"),      # 投资20亿元的恒通新材料项目…开工
    ("一", "1、", 5, None, "亿元", ">=", "project"),       # 总投资5亿元的瑞丰食品二期项目…竣工
    ("一", "2、", 1, None, "个工作日", "<=", "quantity"),  # 压缩至1个工作日以内
    ("二", "1、", 25, None, "公里", ">=", "quantity"),
    ("二", "1、", None, None, None, "=", "milestone"),     # 完成老街片区改造工程
    ("二", "1、", None, None, None, "=", "project"),       # 建成镇污水处理厂二期: a named work
    ("二", "2、", 1.2, None, "万平方米", ">=", "quantity"),
    ("二", "2、", None, None, None, "=", "milestone"),     # 创成省级生态文明示范镇
    ("三", "1、", 1200, None, "人", ">=", "quantity"),     # 1,200人
    ("三", "1、", 3, 5, "场", "range", "quantity"),        # 3至5场
    ("三", "2、", 98, None, "%", ">=", "ratio"),
]


def test_town_structure():
    _, result = _read("town_plan.txt")
    assert [(s["no"], s["marker"], s["title"]) for s in result["sections"]] == [
        ("一", "(一)", "聚焦项目攻坚,增强发展后劲"),
        ("二", "(二)", "聚焦城乡融合,建设美丽集镇"),
        ("三", "(三)", "聚焦民生福祉,提升幸福指数"),
    ]
    assert [(m["section"], m["no"], m["head"]) for m in result["measures"]][:2] == [
        ("一", "1、", "加大招商力度"), ("一", "2、", "优化营商环境")]
    assert len(result["measures"]) == 6


def test_town_targets():
    _, result = _read("town_plan.txt")
    assert _rows(result) == _expected(TOWN)


def test_town_details():
    _, result = _read("town_plan.txt")
    by_text = {t["text"]: t for t in result["targets"]}
    t = by_text["确保投资20亿元的恒通新材料项目6月底前开工"]
    assert (t["milestone"], t["deadline_text"], t["indicator"]) == ("开工", "6月底前", "恒通新材料项目投资额")
    t = by_text["总投资5亿元的瑞丰食品二期项目年底竣工投产"]
    assert (t["milestone"], t["deadline_text"]) == ("竣工", "年底")
    assert by_text["其中10亿元以上项目不少于2个"]["value"] == 2  # 10亿元 only qualifies
    assert by_text["完成固定资产投资80-90亿元"]["indicator"] == "固定资产投资"
    assert by_text["单位GDP能耗下降3%以内"]["indicator"] == "单位GDP能耗降幅"


# ------------------------------------------------------------------- district --
# 一、 sections separated by blank lines; past achievements mixed in.
DISTRICT = [
    ("二", "", 40, None, "个", ">=", "project"),
    ("二", "", 50, None, "亿元", ">=", "project"),
    ("二", "", 30, None, "家", ">=", "quantity"),
    ("二", "", 48, None, "%", ">=", "ratio"),
    ("二", "", 7, None, "%", ">=", "ratio"),               # 比上年增长7%: a target, not the past
    ("三", "", 3000, None, "亩", ">=", "quantity"),
    ("三", "", 80, None, "%", ">=", "ratio"),
    ("三", "", 0, None, None, "=", "milestone"),
    ("三", "", 100, None, "%", ">=", "ratio"),
    ("四", "", 1, None, "万人", ">=", "quantity"),
    ("四", "", 3.5, None, "%", "<=", "ratio"),
    ("四", "", 4, None, "所", ">=", "quantity"),
    ("四", "", 15, None, "个", ">=", "quantity"),
    ("四", "", None, None, None, "=", "milestone"),
]

# Numbers that report the past, with the unit they are written in.
DISTRICT_PAST = [
    (368, "亿元"), (4.1, "%"), (28.5, "亿元"), (42, "家"), (600, "个"),   # 工作回顾 section
    (36, "个"), (21, "个"),                                              # 去年… / 已建成…
    (156, "家"),                                                         # 过去一年…
    (1.5, "万亩"), (38, "微克/立方米"),                                  # 截至目前…
    (1.2, "万人"), (3.2, "%"), (12, "个"),                               # 一年来… / 完成了…
]


def test_district_structure():
    _, result = _read("district_plan.txt")
    assert [s["title"] for s in result["sections"]] == [
        "2020年工作回顾", "加快构建现代产业体系", "持续改善生态环境", "着力保障和改善民生"]
    assert result["measures"] == []


def test_district_targets():
    _, result = _read("district_plan.txt")
    assert _rows(result) == _expected(DISTRICT)


@pytest.mark.parametrize("value, unit", DISTRICT_PAST)
def test_district_past_achievements_are_not_targets(value, unit):
    _, result = _read("district_plan.txt")
    assert not [t for t in result["targets"] if t["value"] == value and t["unit"] == unit]


def test_district_review_section_is_empty():
    _, result = _read("district_plan.txt")
    assert not [t for t in result["targets"] if t["section"] == "一"]


# ----------------------------------------------------------------------- zone --
# 一、 → （一） → inline 一是; 主要预期目标 as section 一 with 1. items; a past preamble.
ZONE = [
    ("一", "1.", 12, None, "%", "approx", "ratio"),
    ("一", "1.", 580, None, "亿元", ">", "quantity"),       # 力争突破580亿元
    ("一", "2.", 35, None, "亿元", ">=", "quantity"),
    ("一", "2.", 8, None, "%", ">=", "ratio"),
    ("一", "3.", 2.5, None, "亿美元", ">=", "quantity"),
    ("一", "4.", 30, None, "个", ">=", "project"),
    ("一", "4.", 3, None, "个", ">=", "project"),           # 20亿元 only qualifies
    ("一", "5.", 4, None, "%", ">=", "ratio"),
    ("一", "5.", 85, None, "%", ">=", "ratio"),
    ("二", "（一）", 45, None, "亿元", ">=", "project"),   # …项目6月底前竣工投产
    # a named work reaching a delivery step is a project (LABELS: "a named project …
    # with … a delivery step"), not a bare milestone
    ("二", "（一）", None, None, None, "=", "project"),    # …东延工程年内建成通车
    ("二", "（一）", 1500, None, "亩", ">=", "quantity"),
    ("二", "（一）", 20, None, "万平方米", ">=", "quantity"),
    ("二", "（二）", 40, None, "家", ">=", "quantity"),
    ("二", "（二）", 52, None, "%", ">=", "ratio"),
    ("二", "（二）", 200, None, "名", ">=", "quantity"),
    ("二", "（三）", 5000, None, "人", ">=", "quantity"),
    ("二", "（三）", 3, None, "%", "<=", "ratio"),
    ("二", "（三）", 0, None, None, "=", "milestone"),
    ("二", "（三）", None, None, None, "=", "milestone"),  # 集中供热全覆盖
]


def test_zone_structure():
    _, result = _read("zone_plan.txt")
    assert [s["title"] for s in result["sections"]] == ["主要预期目标", "重点任务", "保障措施"]
    assert [(m["section"], m["no"]) for m in result["measures"]] == (
        [("一", f"{i}.") for i in range(1, 6)] + [("二", f"（{n}）") for n in "一二三"])
    assert result["measures"][5]["head"] == "扩大有效投资"


def test_zone_targets():
    _, result = _read("zone_plan.txt")
    assert _rows(result) == _expected(ZONE)


def test_zone_details():
    _, result = _read("zone_plan.txt")
    by_text = {t["text"]: t for t in result["targets"]}
    # the preamble's 2020 figures are the past
    assert not [t for t in result["targets"] if t["value"] in (520, 9.6, 28)]
    assert by_text["增长8%"]["indicator"] == "一般公共预算收入增幅"
    assert by_text["力争突破580亿元"]["indicator"] == "规上工业产值"
    assert by_text["滨海大道东延工程年内建成通车"]["milestone"] == "通车"
    assert by_text["滨海大道东延工程年内建成通车"]["deadline_text"] == "年内"
