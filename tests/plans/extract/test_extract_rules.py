"""Focused rules, one shape each: review blocks, project lists, steps, units, qualifiers.

Every sentence here is made up for the test (none is taken from a labelled plan).
"""

import pytest

from yuanqu.plans.extract import extract

H = "一、重点工作。"


def _rows(plan):
    return [(t["value"], t["unit"], t["comparator"], t["kind"]) for t in extract(plan)["targets"]]


def _values(plan):
    return [(t["value"], t["unit"]) for t in extract(plan)["targets"]]


# ------------------------------------------------------------ 1. past tense --

def test_review_paragraph_stays_in_the_past_across_sentences_and_semicolons():
    plan = ("桃源镇2024年工作计划\n"
            "2023年，全镇上下攻坚克难，各项工作取得新成效。全年完成财政收入2.6亿元，增长7%；"
            "新增市场主体430户。招引亿元项目5个。\n"
            "一、主要目标\n全年完成财政收入2.8亿元。")
    assert _values(plan) == [(2.8, "亿元")]


def test_review_block_in_the_preamble_spans_paragraphs_until_a_forward_marker():
    plan = ("桃源镇2024年工作计划\n"
            "过去一年，全镇经济稳中向好。实现规上工业产值38亿元；引进项目9个。\n"
            "新增城镇就业520人。\n"
            "2024年工作安排：全年新增城镇就业600人。\n"
            "一、重点工作\n新增规上企业6家。")
    assert _values(plan) == [(600, "人"), (6, "家")]


@pytest.mark.parametrize("opener", ["去年以来", "一年来", "过去一年", "上年"])
def test_review_openers_govern_their_paragraph(opener):
    plan = (f"桃源镇2024年工作计划\n一、重点工作\n{opener}，全镇新增企业18家。带动就业900人；"
            "完成投资6亿元。\n今年力争新增企业20家。")
    assert _values(plan) == [(20, "家")]


def test_a_measure_heading_ends_the_review_context():
    plan = ("桃源镇2024年工作计划\n一、产业发展\n一是抓项目。一年来，新签约项目11个，完成投资20亿元。"
            "二是抓招商。引进企业10家。")
    assert _values(plan) == [(10, "家")]


def test_status_phrases_only_govern_their_own_sentence():
    plan = ("桃源镇2024年工作计划\n一、重点工作\n截至目前，已累计完成投资12亿元。全年完成投资18亿元。\n"
            "近年来，全镇特色农业发展较快。新增家庭农场15家。")
    assert _values(plan) == [(18, "亿元"), (15, "家")]


@pytest.mark.parametrize("title", [
    "桃源镇2024年工作实施方案", "桃源镇2024年重点工作推进措施", "关于桃源镇2024年工作的实施意见",
    "二〇二四年桃源镇工作要点",
])
def test_plan_year_from_titles_of_any_kind(title):
    plan = f"{title}\n一、重点工作。2023年，完成税收3.1亿元。2024年，完成税收3.4亿元。"
    assert _values(plan) == [(3.4, "亿元")]


def test_plan_year_is_found_beyond_the_first_lines():
    preamble = "为贯彻落实上级部署，推动高质量发展，结合本镇实际，制定如下安排。" * 12
    plan = (f"{preamble}\n桃源镇2024年工作安排如下。\n"
            "一、重点工作。2023年，完成税收3.1亿元。2024年，完成税收3.4亿元。")
    assert _values(plan) == [(3.4, "亿元")]


def test_a_section_reviewing_an_earlier_year_holds_no_targets():
    plan = ("桃源镇2024年工作计划\n一、2023年主要工作\n完成税收3.1亿元。\n"
            "二、2024年重点任务\n完成税收3.4亿元。")
    assert [(t["section"], t["value"]) for t in extract(plan)["targets"]] == [("二", 3.4)]


@pytest.mark.parametrize("body", [
    "目前仍有4个项目未开工。",
    "对已签约未落地的8个项目开展专项督办。",
    "剩余6个点位尚未完成整改。",
])
def test_existing_state_is_not_a_target(body):
    assert extract(H + body)["targets"] == []


def test_a_comparison_with_last_year_is_not_the_past():
    assert _values(H + "力争超过去年水平，新增企业20家。") == [(20, "家")]


# ------------------------------------------------------ 2. project trigger --

def test_step_rates_are_ratios_not_project_lists():
    rows = _rows(H + "重点项目开工率达到95%，竣工率达到90%，投资完成率达到100%。")
    assert rows == [(95, "%", ">=", "ratio"), (90, "%", ">=", "ratio"), (100, "%", ">=", "ratio")]


def test_counted_classes_of_projects_keep_their_numbers():
    rows = _rows(H + "全年新开工项目25个、竣工投产项目18个。")
    assert rows == [(25, "个", ">=", "project"), (18, "个", ">=", "project")]


@pytest.mark.parametrize("body", [
    "加强项目验收管理，严格落实开工时限。",
    "建立项目开工前期工作清单。",
])
def test_step_words_used_as_modifiers_are_not_milestones(body):
    assert extract(H + body)["targets"] == []


def test_named_list_with_its_step_in_the_next_clause():
    plan = H + "加快推进城东文体中心、临江大道、望湖路等项目建设，确保年内竣工。"
    got = [(t["indicator"], t["kind"], t["milestone"], t["deadline_text"]) for t in extract(plan)["targets"]]
    assert got == [("城东文体中心", "project", "竣工", "年内"), ("临江大道", "project", "竣工", "年内"),
                   ("望湖路", "project", "竣工", "年内")]


def test_a_bare_class_with_its_step_in_the_next_clause_is_not_a_target():
    assert extract(H + "加快推进医院建设，确保年内开工。")["targets"] == []


def test_each_item_keeps_its_own_step():
    plan = H + "推动新能源电池项目6月开工、精密铸件项目9月投产。"
    assert [(t["indicator"], t["milestone"]) for t in extract(plan)["targets"]] == [
        ("新能源电池项目", "开工"), ("精密铸件项目", "投产")]


def test_capacity_in_a_project_name_is_not_a_count():
    plan = H + "确保年产5万吨再生铝项目、年产2000台农机装备项目年内投产。"
    assert [(t["indicator"], t["value"]) for t in extract(plan)["targets"]] == [
        ("年产5万吨再生铝项目", None), ("年产2000台农机装备项目", None)]


# ------------------------------------------------------ 3. lists of 工程 ----

def test_list_of_named_works_splits_into_one_target_each():
    plan = H + "确保东环路改造工程、北湖公园提升工程年内建成通车。"
    got = [(t["indicator"], t["kind"], t["milestone"]) for t in extract(plan)["targets"]]
    assert got == [("东环路改造工程", "project", "通车"), ("北湖公园提升工程", "project", "通车")]


def test_built_named_works_are_projects_but_completed_works_stay_milestones():
    plan = H + "年底前建成城西污水处理厂、滨河公园。完成老街立面整治工程。"
    got = [(t["indicator"], t["kind"]) for t in extract(plan)["targets"]]
    assert got == [("城西污水处理厂建成", "project"), ("滨河公园建成", "project"),
                   ("老街立面整治工程", "milestone")]


# ----------------------------------------------------- 4/5. step words -----

@pytest.mark.parametrize("body, milestone", [
    ("确保城南污水处理厂三期工程6月底前投运。", "投运"),
    ("区妇幼保健院新院区年内投用。", "投用"),
    ("确保沿江大道北延段年底前建成通车。", "通车"),
    ("确保安置小区二期9月底前交付使用。", "交付"),
    ("推动区政务服务中心年内挂牌运营。", "挂牌"),
    ("确保城北水厂扩建工程年内通过竣工验收。", "竣工"),
    ("确保区人民医院门诊楼年底前竣工投用。", "竣工"),
    ("科创大厦主体工程年内完成主体封顶。", "封顶"),
])
def test_delivery_steps_of_named_works(body, milestone):
    targets = extract(H + body)["targets"]
    assert [(t["kind"], t["milestone"], t["value"], t["comparator"]) for t in targets] == [
        ("project", milestone, None, "=")]


def test_investment_in_the_clause_after_a_named_work_is_a_project_amount():
    rows = _rows(H + "实施城北水系连通工程，总投资6.5亿元，年底前主体完工。")
    assert (6.5, "亿元", ">=", "project") in rows


def test_counted_projects_without_amount_or_step_are_quantities():
    assert _rows(H + "实施城中村改造项目4个。") == [(4, "个", ">=", "quantity")]
    assert _rows(H + "招引超亿元项目12个。") == [(12, "个", ">=", "project")]


# -------------------------------------------------------------- 6. units ---

@pytest.mark.parametrize("body, value, unit", [
    ("拍摄公益微电影5部。", 5, "部"),
    ("走访服务企业260家次。", 260, "家次"),
    ("开展技能培训1800人次。", 1800, "人次"),
    ("新建学校3所。", 3, "所"),
    ("新建口袋公园12座。", 12, "座"),
    ("更新环卫车辆40台。", 40, "台"),
    ("新增智能安防设备120套。", 120, "套"),
    ("新增新能源公交车30辆。", 30, "辆"),
    ("举办招聘会25场次。", 25, "场次"),
    ("组织农产品抽检60批次。", 60, "批次"),
    ("分类处置信访积案3批。", 3, "批"),
    ("新开通公交线路4条。", 4, "条"),
    ("新建改造农村公路35公里。", 35, "公里"),
    ("新建标准厂房8万平方米。", 8, "万平方米"),
    ("新增分布式光伏装机600千瓦。", 600, "千瓦"),
    ("建成储能电站50兆瓦。", 50, "兆瓦"),
    ("处置建筑垃圾3万吨。", 3, "万吨"),
    ("港口集装箱吞吐量达到45万标箱。", 45, "万标箱"),
    ("实际利用外资3000万美元。", 3000, "万美元"),
    ("外贸进出口总额达到12亿美元。", 12, "亿美元"),
    ("新增养老床位300张。", 300, "张"),
    ("新打抗旱机井20眼。", 20, "眼"),
])
def test_units(body, value, unit):
    targets = extract(H + body)["targets"]
    assert [(t["value"], t["unit"]) for t in targets] == [(value, unit)]


@pytest.mark.parametrize("body", [
    "联合5部门开展专项行动。",       # 部门 is not the unit 部
    "每3个月开展一次督查。",         # a frequency
    "用3个月时间开展集中整治。",     # how long a campaign runs
])
def test_unit_look_alikes_are_not_targets(body):
    assert extract(H + body)["targets"] == []


# -------------------------------------------------- 7. 后 and "N内" -------

def test_after_is_fine_and_within_is_an_upper_bound():
    rows = _rows(H + "群众诉求受理后2小时内响应，一般事项5个工作日之内办结，疑难事项30日以内办结。")
    assert rows == [(2, "小时", "<=", "quantity"), (5, "个工作日", "<=", "quantity"),
                    (30, "日", "<=", "quantity")]


def test_a_rank_after_hou_is_not_a_value():
    assert extract(H + "对考核排名后5名的单位进行约谈。")["targets"] == []


def test_nei_is_not_a_comparator_after_other_units():
    assert _rows(H + "新引进10家内资企业。") == [(10, "家", ">=", "quantity")]


def test_effects_of_a_work_are_not_commitments_but_time_limits_are():
    assert extract(H + "项目投产后可实现年产值8亿元。")["targets"] == []
    assert _values(H + "工程竣工后3个月内完成审计。") == [(3, "个月")]


# ---------------------------------------------------------- 8. qualifiers --

def test_joined_counts_are_both_targets():
    plan = H + "新建公办幼儿园2所和社区养老服务站7个。"
    got = [(t["value"], t["unit"], t["indicator"]) for t in extract(plan)["targets"]]
    assert got == [(2, "所", "新建公办幼儿园数"), (7, "个", "社区养老服务站数")]


def test_a_count_of_entities_with_their_attribute_keeps_the_attribute():
    assert _values(H + "3个集体经济薄弱村村级经营收入达到40万元。") == [(40, "万元")]


def test_an_amount_that_qualifies_counted_entities_is_dropped():
    assert _values(H + "年营业收入超5亿元企业达到6家。") == [(6, "家")]


def test_a_bare_count_before_another_figure_without_comparator_is_kept():
    assert _values(H + "改造提升农贸市场3个新增摊位200个。") == [(3, "个"), (200, "个")]


# --------------------------------------------- 9. amounts across a list -----

def test_a_plain_amount_belongs_to_the_first_item_only():
    plan = H + "确保总投资42亿元的城东智造产业园项目、滨江物流园项目、高铁新城商业综合体3月底前开工。"
    got = [(t["indicator"], t["value"]) for t in extract(plan)["targets"]]
    assert got == [("城东智造产业园项目投资额", 42), ("滨江物流园项目", None),
                   ("高铁新城商业综合体", None)]


def test_a_threshold_amount_is_shared_by_the_items_after_it():
    plan = H + "确保超20亿元的城东智造产业园项目、滨江物流园项目年内开工。"
    got = [(t["indicator"], t["value"], t["comparator"]) for t in extract(plan)["targets"]]
    assert got == [("城东智造产业园项目投资额", 20, ">"), ("滨江物流园项目投资额", 20, ">")]


def test_a_threshold_stops_at_the_next_item_with_its_own_amount():
    plan = H + "确保超30亿元的甲城新材料项目、总投资8亿元的乙城食品项目、丙城物流项目年内开工。"
    got = [(t["value"], t["comparator"]) for t in extract(plan)["targets"]]
    assert got == [(30, ">"), (8, ">="), (None, "=")]


def test_a_step_followed_by_a_new_predicate_keeps_both_targets():
    rows = _rows(H + "确保滨江科创园项目年内开工建设并完成投资2亿元。")
    assert rows == [(None, None, "=", "project"), (2, "亿元", ">=", "project")]


# ------------------------------------------------- durations and 万 counts --

def test_a_duration_of_years_is_not_the_plan_years_end():
    got = extract("桃源镇2027年人才工作计划\n一、重点工作\n3年内引进高层次人才50名，年内新增技能人才200名。")["targets"]
    assert [(t["value"], t["deadline_text"], t["deadline"]) for t in got] == [
        (50, None, None), (200, "年内", "2027-12-31")]


def test_a_count_in_ten_thousands_of_people_keeps_its_comparator():
    assert _rows(H + "培训新型职业农民1.5万名左右，新增城镇就业2万名以上。") == [
        (1.5, "万名", "approx", "quantity"), (2, "万名", ">=", "quantity")]


def test_one_figure_shared_by_listed_indicators_is_a_target_for_each():
    got = extract(H + "固定资产投资、工业投资和技改投资均增长12%左右，城乡居民人均可支配收入增长7%。")["targets"]
    assert [(t["indicator"], t["value"], t["comparator"]) for t in got] == [
        ("固定资产投资增幅", 12, "approx"), ("工业投资增幅", 12, "approx"), ("技改投资增幅", 12, "approx"),
        ("城乡居民人均可支配收入增幅", 7, ">=")]
    assert len({t["text"] for t in got[:3]}) == 1


@pytest.mark.parametrize("line", ["全力服务重大项目落地见效。", "全力服务好重点项目年内开工。"])
def test_serving_a_class_of_projects_is_no_named_work(line):
    assert extract(H + line)["targets"] == []
