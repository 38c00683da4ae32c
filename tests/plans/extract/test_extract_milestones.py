"""Milestones written in plain words, and the number forms plans use for them."""

import pytest

from yuanqu.plans.extract import extract


def _one(sentence: str) -> dict:
    got = extract("一、重点工作\n" + sentence)["targets"]
    assert len(got) == 1, got
    return got[0]


@pytest.mark.parametrize(("sentence", "milestone"), [
    ("加快梳理三张清单，完成目录数据挂载。", "完成"),
    ("完成平台搭建、功能研发、资源池填充等。", "完成"),
    ("重点完成对接省市数据共享交换体系。", "完成"),
    ("完成节能减排年度目标任务。", "完成"),
    ("完成市政府下达的节能降耗等限制性指标。", "完成"),
    ("建成园区财政业务底座和信息枢纽。", "建成"),
    ("推行不见面办理，实现登记业务全市通办。", "全市通办"),
    ("推动教育治理业务全在线。", "全在线"),
    ("上线运行“创业云”服务平台。", "上线运行"),
    ("智慧园区平台年内上线运行。", "上线运行"),
    ("各级政务服务事项全部开通全程网办。", "开通"),
    ("全面实现营业执照、许可证等证照电子化。", "实现"),
    ("所有村组实现按需接入宽带网络。", "实现"),
    ("确保现行标准下贫困人口全部脱贫。", "脱贫"),
    ("实现监管服务“一站即达”目标。", "实现"),
])
def test_end_states_in_plain_words(sentence, milestone):
    t = _one(sentence)
    assert (t["kind"], t["value"], t["milestone"]) == ("milestone", None, milestone)


@pytest.mark.parametrize("sentence", ["坚决防止出现规模性返贫。", "防止形成区域性金融风险。"])
def test_preventing_an_incident_is_zero_incidents(sentence):
    t = _one(sentence)
    assert (t["value"], t["comparator"], t["milestone"]) == (0, "=", "不发生")


@pytest.mark.parametrize("sentence", [
    "完成全年目标任务。",                             # a quota with no subject
    "圆满完成上级下达的各项任务。",
    "完成省市下达的目标任务。",
    "全面完成区委区政府下达的年度目标任务。",
    "年底前全部办结。",                               # nothing named reaches the state
    "常态化举办线上线下专场招聘活动。",               # 线上线下 is not 上线
    "不断优化全市通办事项目录。",                     # 全市通办 names a kind of service here
    "努力建成“品质、友好、智慧”新城区。",             # a slogan
    "2027年是全面建成小康社会的关键之年。",
    "全面提升政务服务水平。",
    "全面实现乡村振兴。",
])
def test_not_end_states(sentence):
    assert extract("一、重点工作\n" + sentence)["targets"] == []


def test_numbers_plans_write_without_the_usual_unit():
    t = _one("道路交通事故万车死亡率控制在0.02以下。")
    assert (t["value"], t["unit"], t["comparator"]) == (0.02, None, "<=")
    t = _one("全年新开工亿元以上项目十个。")
    assert (t["value"], t["unit"], t["kind"]) == (10, "个", "project")
    assert extract("一、重点工作\n比上年增长5以上，落实两个责任。")["targets"] == []


def test_a_class_of_hundred_million_projects_without_a_figure():
    got = extract("一、重点工作\n力争甲电子、乙食品等一批亿元项目尽快投产增效。")["targets"]
    assert [(t["indicator"], t["value"], t["unit"], t["milestone"]) for t in got] == [
        ("甲电子项目投资额", 1, "亿元", "投产"), ("乙食品项目投资额", 1, "亿元", "投产")]


def test_an_amount_restated_in_an_aside_is_a_second_target():
    got = extract("一、重点工作\n全市新增2400户（累计约3600户）餐饮单位纳入智慧监管平台。")["targets"]
    assert [(t["value"], t["comparator"]) for t in got] == [(2400, ">="), (3600, "approx")]


def test_scoring_formulas_and_baselines_hold_no_targets():
    text = ("一、考评方式\n半年考评分值=日常监测（60%）+实地调研（20%）+第三方评估（20%）\n"
            "在现有62项便民服务的基础上，继续拓展服务范围。\n")
    assert extract(text)["targets"] == []
