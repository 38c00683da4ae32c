"""Small plans, one shape each: numbering, comparators, numerals, past tense, labels."""

import pytest

from yuanqu.plans.extract import extract


def _one(body, heading="一、重点工作。"):
    """The single target read from one sentence under one heading."""
    targets = extract(heading + body)["targets"]
    assert len(targets) == 1, [t["text"] for t in targets]
    return targets[0]


def _values(body, heading="一、重点工作。"):
    return [(t["value"], t["unit"], t["comparator"]) for t in extract(heading + body)["targets"]]


@pytest.mark.parametrize("body, comparator", [
    ("新增规上企业不少于20家。", ">="),
    ("新增规上企业不低于20家。", ">="),
    ("新增规上企业20家以上。", ">="),
    ("新增规上企业至少20家。", ">="),
    ("新增规上企业超20家。", ">"),
    ("新增规上企业超过20家。", ">"),
    ("新增规上企业突破20家。", ">"),
    ("新增规上企业20家左右。", "approx"),
    ("新增规上企业约20家。", "approx"),
    ("新增规上企业达到20家。", ">="),
    ("新增规上企业20家。", ">="),
    ("新增规上企业不超过20家。", "<="),
    ("新增规上企业20家以内。", "<="),
    ("新增规上企业20家以下。", "<="),
    ("新增规上企业控制在20家。", "<="),
])
def test_comparator_words(body, comparator):
    t = _one(body)
    assert (t["value"], t["unit"], t["comparator"]) == (20, "家", comparator)


@pytest.mark.parametrize("body, value, vmax, unit", [
    ("完成固定资产投资80-90亿元。", 80, 90, "亿元"),
    ("完成固定资产投资80—90亿元。", 80, 90, "亿元"),
    ("完成固定资产投资80至90亿元。", 80, 90, "亿元"),
    ("地区生产总值增长6%-7%。", 6, 7, "%"),
    ("地区生产总值增长6.5%～7.5%。", 6.5, 7.5, "%"),
])
def test_ranges(body, value, vmax, unit):
    t = _one(body)
    assert (t["comparator"], t["value"], t["value_max"], t["unit"]) == ("range", value, vmax, unit)


@pytest.mark.parametrize("body, value, unit", [
    ("培育新型农民一百五十人。", 150, "人"),
    ("新增高标准农田两千亩。", 2000, "亩"),
    ("新增就业3.5万人。", 3.5, "万人"),
    ("新增就业3.5万。", 3.5, "万"),
    ("实现税收五十万元。", 50, "万元"),
    ("新增绿地１，２００平方米。", 1200, "平方米"),
    ("城镇登记失业率控制在百分之四以内。", 4, "%"),
    ("研发投入占比提高２．６个百分点。", 2.6, "个百分点"),
])
def test_numerals_and_units(body, value, unit):
    t = _one(body)
    assert (t["value"], t["unit"]) == (value, unit)
    assert type(t["value"]) is type(value)


def test_kinds():
    assert _one("持证农民比例达到50%。")["kind"] == "ratio"
    assert _one("完成绿化面积700亩。")["kind"] == "quantity"
    assert _one("确保总投资30亿元的光伏项目开工。")["kind"] == "project"
    assert _one("确保不发生重大安全事故。")["kind"] == "milestone"


@pytest.mark.parametrize("body", [
    "实施“十个必接”工程，推进“1+4”招商体系建设。",   # numbers inside names
    "打造百亿级产业集群，争创5A级景区。",             # orders of magnitude, grades
    "推进5G网络建设，落实两个责任。",                  # 5G, a set phrase
    "力争实现第3名，排名后10名以外。",                 # a place, not a rank reached
    "在“十四五”期间加快发展，深化一二三产融合。",
    "积极培育新的经济增长点，努力打造一流营商环境。",  # vague aims
    "以文明城市创建为契机，建成现代化产业体系。",
    "去年新增规上企业12家。",                          # the past
    "2020年，全区完成固定资产投资85亿元。",
    "全区已建成5G基站300个。",
    "截至目前，累计完成投资30亿元。",
    "一年来，共引进项目25个，完成了12个老旧小区改造。",
    "全年未发生重大安全事故。",
    "确保一批重点工程按期开工。",                      # a class, not a named thing
    "加快推进学校建设，确保年内开工。",                # no subject in the clause
    "确保各项目标任务圆满完成。",
])
def test_not_targets(body):
    plan = "江北区2021年工作计划\n一、重点工作。" + body
    assert extract(plan)["targets"] == []


def test_past_sentence_then_forward_sentence():
    plan = "江北区2021年工作计划\n一、重点工作。去年新增规上企业12家，增长20%。今年力争新增规上企业15家，比上年增长25%。"
    assert [(t["value"], t["unit"]) for t in extract(plan)["targets"]] == [(15, "家"), (25, "%")]


def test_retrospective_section_has_no_targets():
    plan = ("一、2020年工作回顾\n全区完成固定资产投资85亿元，新增规上企业12家。\n"
            "二、2021年主要任务\n全区完成固定资产投资95亿元。")
    targets = extract(plan)["targets"]
    assert [(t["section"], t["value"]) for t in targets] == [("二", 95)]


def test_qualifier_count_is_not_a_target():
    assert _values("大兴村、建南村2个经济薄弱村经营收入50万元以上。") == [(50, "万元", ">=")]


def test_list_shares_the_comparator():
    assert _values("力争在招引50亿元、100亿元以上重特大项目上实现新作为。") == [
        (50, "亿元", ">="), (100, "亿元", ">=")]


def test_project_list_shares_the_amount():
    rows = extract("一、项目建设。确保超50亿元的甲项目、超5亿元的乙材料、丙食品等一批项目年内开工。")
    got = [(t["indicator"], t["value"], t["comparator"], t["milestone"], t["deadline_text"])
           for t in rows["targets"]]
    assert got == [
        ("甲项目投资额", 50, ">", "开工", "年内"),
        ("乙材料项目投资额", 5, ">", "开工", "年内"),
        ("丙食品项目投资额", 5, ">", "开工", "年内"),
    ]


def test_generic_project_class_without_number_is_not_a_target():
    assert extract("一、项目建设。确保一批重大项目按期开工。")["targets"] == []


@pytest.mark.parametrize("body, milestone", [
    ("确保不发生重大安全事故。", "不发生"),
    ("行政村污水处理设施实现全覆盖。", "全覆盖"),
    ("年底前完成老旧小区改造工程。", "完成"),
    ("建成镇污水处理厂二期。", "建成"),
    ("三南村创建成省级水美乡村。", "创建成省级水美乡村"),
    ("加快实现“2330”的更高目标。", "实现"),
    ("滨江大桥年内建成通车。", "通车"),
    ("实现安全生产事故零发生。", "不发生"),
])
def test_milestones(body, milestone):
    t = _one(body)
    assert t["milestone"] == milestone
    assert t["comparator"] == "="
    assert t["value"] == (0 if milestone == "不发生" else None)


def test_deadlines():
    assert _one("2021年底前完成老旧小区改造工程。")["deadline_text"] == "2021年底前"
    assert _one("全年完成绿化面积700亩。")["deadline_text"] == "全年"
    assert _one("6月底前建成智慧园区平台。")["deadline_text"] == "6月底前"
    assert _one("新增规上企业20家。")["deadline_text"] is None


def test_deep_numbering_uses_the_next_level_as_measures():
    plan = ("一、主要任务\n（一）做强产业。\n1.推进项目。新开工项目20个。\n2.强化招商。引进企业10家。\n"
            "（二）改善民生。\n1.稳定就业。新增就业800人。\n二、保障措施\n加强组织领导。")
    result = extract(plan)
    assert [s["no"] for s in result["sections"]] == ["一", "二"]
    assert [(m["section"], m["no"], m["head"]) for m in result["measures"]] == [
        ("一", "（一）", "做强产业"), ("一", "（二）", "改善民生")]
    assert [(t["section"], t["measure"], t["value"]) for t in result["targets"]] == [
        ("一", "（一）", 20), ("一", "（一）", 10), ("一", "（二）", 800)]


def test_arabic_sections_and_circled_items():
    plan = "1.项目建设：①新开工项目20个；②竣工项目8个。\n2.民生保障：新增就业800人。"
    result = extract(plan)
    assert [s["no"] for s in result["sections"]] == ["1", "2"]
    assert [m["no"] for m in result["measures"]] == ["①", "②"]
    assert [t["value"] for t in result["targets"]] == [20, 8, 800]


def test_targets_before_the_first_section_have_no_section():
    plan = "主要预期目标：地区生产总值增长6.5%左右。\n一、重点工作\n新增规上企业20家。"
    result = extract(plan)
    assert [(t["section"], t["value"]) for t in result["targets"]] == [(None, 6.5), ("一", 20)]


def test_rank_reached_is_an_upper_bound_and_a_deadline_is_not_a_rank():
    """README of the real plans: 进入前五位 → <= 5 位; "年底前20个" is a deadline before a count."""
    plan = "一、重点工作。力争考评进入全省前五位。年底前20个项目全部开工。上线前完成15项测试。"
    got = [(t["value"], t["unit"], t["comparator"]) for t in extract(plan)["targets"]]
    assert got == [(5, "位", "<="), (20, "个", ">="), (15, "项", ">=")]


def test_inline_items_may_restart_in_a_new_paragraph():
    plan = "一、重点工作\n一是抓项目。二是抓招商。\n一是抓民生。二是抓安全。"
    assert [m["head"] for m in extract(plan)["measures"]] == ["抓项目", "抓招商", "抓民生", "抓安全"]
