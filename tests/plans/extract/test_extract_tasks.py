"""Task lists: each numbered task with its deadline, lead and cooperating units, score and leader."""

import pytest

from yuanqu.plans.extract import extract
from yuanqu.plans.extract.deadlines import resolve

HEAD = "三和片区2027年重点工作安排\n一、产业发展\n"


def _tasks(body: str, **kw) -> dict[str, dict]:
    """The first target of each task, by item number."""
    out: dict[str, dict] = {}
    for t in extract(HEAD + body, **kw)["targets"]:
        out.setdefault(t["item"], t)
    return out


# ------------------------------------------------------------------ units ----

@pytest.mark.parametrize(("line", "lead", "coop"), [
    ("1．建成智慧园区平台。（0.5分）（6月底完成，牵头考核单位：市政务服务局）", ["市政务服务局"], []),
    ("1．建成智慧园区平台。（牵头单位：经济发展局）", ["经济发展局"], []),
    ("1．建成智慧园区平台。（招商局牵头，经济发展局配合）", ["招商局"], ["经济发展局"]),
    ("1．建成智慧园区平台。（招商局、建设局牵头，经济发展局、财政局配合）", ["招商局", "建设局"],
     ["经济发展局", "财政局"]),
    ("1．建成智慧园区平台。（责任单位：建设局）", ["建设局"], []),
    ("1．建成智慧园区平台。（社会事业局负责）", ["社会事业局"], []),
    ("1．建成智慧园区平台。（由社会事业局负责）", ["社会事业局"], []),
    ("1．建成智慧园区平台。牵头单位：经济发展局；配合单位：招商局、财政局。", ["经济发展局"],
     ["招商局", "财政局"]),
    ("1. 建成智慧园区平台.(牵头单位:经济发展局;配合单位:招商局、财政局)", ["经济发展局"], ["招商局", "财政局"]),
    ("（1）建成智慧园区平台。（协办单位：财政局；主责单位：招商局）", ["招商局"], ["财政局"]),
    ("1．建成智慧园区平台。（责任单位：区发改局（牵头）、区财政局、各街道）", ["区发改局"], ["区财政局", "各街道"]),
    ("1．建成智慧园区平台。（牵头领导：张三；牵头单位：区发改局；责任单位：各街道）", ["区发改局"], ["各街道"]),
    # full-width comma inside a list, duty phrases after the names
    ("1．建成智慧园区平台。（牵头单位：区发改局，配合单位：区财政局，各街道）", ["区发改局"], ["区财政局", "各街道"]),
    ("1．建成智慧园区平台。（招商局牵头，建设局、财政局按职责分工配合）", ["招商局"], ["建设局", "财政局"]),
    ("1．建成智慧园区平台。（招商局牵头，建设局、财政局按职责分工负责）", ["招商局"], ["建设局", "财政局"]),
    ("1．建成智慧园区平台。（区产业推进办牵头，各成员单位按照职责分工配合）", ["区产业推进办"], ["各成员单位"]),
])
def test_each_phrasing_of_lead_and_cooperating_units(line, lead, coop):
    t = _tasks(line)["1"]
    assert (t["lead_units"], t["cooperating_units"]) == (lead, coop)
    assert t["text"].startswith("建成智慧园区平台")


def test_units_of_each_sentence_of_a_task_add_up():
    t = _tasks("1．建立平台。（建设局负责）完善机制。（招商局牵头，建设局、财政局配合）推广应用。（财政局负责）\n")["1"]
    assert (t["lead_units"], t["cooperating_units"]) == (["建设局", "招商局", "财政局"], [])
    t = _tasks("1．建立平台。（建设局负责）完善机制。（招商局牵头，经济发展局配合）\n")["1"]
    assert (t["lead_units"], t["cooperating_units"]) == (["建设局", "招商局"], ["经济发展局"])


def test_attributes_hold_for_every_target_of_the_task():
    body = ("1．新增规上企业10家，完成固定资产投资20亿元，建成标准厂房5万平方米。"
            "（2分）（9月底完成，招商局牵头，经济发展局配合）\n"
            "2．持续优化营商环境。（持续推进，责任单位：政务服务中心）\n")
    got = extract(HEAD + body)["targets"]
    first = [t for t in got if t["item"] == "1"]
    assert [t["value"] for t in first] == [10, 20, 5]
    for t in first:
        assert (t["deadline"], t["lead_units"], t["cooperating_units"], t["points"]) == (
            "2027-09-30", ["招商局"], ["经济发展局"], 2)
    second = [t for t in got if t["item"] == "2"]
    assert len(second) == 1 and second[0]["kind"] == "milestone"  # the task is its own target
    assert (second[0]["deadline"], second[0]["ongoing"], second[0]["deadline_text"]) == (None, True, "持续推进")
    assert second[0]["text"] == "持续优化营商环境。"


def test_attributes_are_not_read_as_targets_or_part_of_the_wording():
    got = extract(HEAD + "1．完成园区道路改造工程。（2027年6月底前完成，牵头单位：建设局）（3分）\n")["targets"]
    assert [(t["text"], t["value"]) for t in got] == [("完成园区道路改造工程", None)]


def test_leader_and_points():
    t = _tasks("1．建成智慧园区平台。（0.25分）（牵头单位：经济发展局）（责任领导：张三）\n")["1"]
    assert (t["leader"], t["points"]) == ("张三", 0.25)
    t = _tasks("1．建成智慧园区平台。牵头单位：经济发展局。责任领导：李四。分值：3分\n")["1"]
    assert (t["leader"], t["points"]) == ("李四", 3)


def test_numbered_items_without_attributes_are_not_tasks():
    got = extract(HEAD + "1．推进产业升级。新增规上企业10家。\n2．加强招商引资。\n")["targets"]
    assert [(t["item"], t["value"], t["lead_units"]) for t in got] == [(None, 10, [])]


def test_a_task_keeps_its_own_time_phrase_over_the_tasks():
    t = _tasks("1．建立平台，7月底前完成项目前期手续。（按进度推进，牵头单位：发改局）\n")["1"]
    assert (t["deadline"], t["deadline_text"], t["ongoing"]) == ("2027-07-31", "7月底前", True)


# ------------------------------------------------------------ table rows ----

TABLE = (
    "附件\n三和片区2027年重点任务分解表\n"
    "一、招商引资\n"
    "1．引进亿元以上项目5个（完成时限：2027年9月底）（牵头单位：招商局；配合单位：经济发展局、财政局）"
    "（责任领导：王五）（2分）\n"
    "2．完成园区道路改造工程（完成时限：年底前）（牵头单位：建设局）\n"
    "二、民生保障\n"
    "3．新建幼儿园1所（完成时限：三季度末）（牵头单位：社会事业局；配合单位：建设局）（1.5分）\n"
    "4．开展文明创建活动（牵头单位：社会事业局）\n"
)


def test_rendered_table_rows_extract_with_all_their_attributes():
    got = extract(TABLE)
    assert (got["title"], got["year"]) == ("三和片区2027年重点任务分解表", 2027)
    rows = [(t["item"], t["section"], t["value"], t["deadline"], t["lead_units"], t["cooperating_units"],
             t["leader"], t["points"]) for t in got["targets"]]
    assert rows == [
        ("1", "一", 5, "2027-09-30", ["招商局"], ["经济发展局", "财政局"], "王五", 2),
        ("2", "一", None, "2027-12-31", ["建设局"], [], None, None),
        ("3", "二", 1, "2027-09-30", ["社会事业局"], ["建设局"], None, 1.5),
        ("4", "二", None, None, ["社会事业局"], [], None, None),
    ]
    assert [t["text"] for t in got["targets"]] == ["引进亿元以上项目5个", "完成园区道路改造工程", "新建幼儿园1所",
                                                   "开展文明创建活动"]


# -------------------------------------------------------------- deadlines ----

@pytest.mark.parametrize(("phrase", "date"), [
    ("6月底完成", "2027-06-30"),
    ("6月底前", "2027-06-30"),
    ("2月底", "2027-02-28"),
    ("11月份取得明显成效", "2027-11-30"),
    ("十月底前", "2027-10-31"),
    ("三季度末", "2027-09-30"),
    ("第二季度", "2027-06-30"),
    ("年底前", "2027-12-31"),
    ("年内", "2027-12-31"),
    ("上半年", "2027-06-30"),
    ("下半年", "2027-12-31"),
    ("2026年3月", "2026-03-31"),
    ("2028年6月底前", "2028-06-30"),
    ("2028年底", "2028-12-31"),
    ("6月30日前", "2027-06-30"),
    ("9月中旬", "2027-09-20"),
    ("5月底取得阶段性成效并持续推进", "2027-05-31"),
    ("2027.6.30", "2027-06-30"),
    ("2027-06", "2027-06-30"),
    ("2028/3", "2028-03-31"),
    ("2027.13", None),
    ("13月底", None),
    ("0月", None),
    ("2月30日", None),
    ("持续推进", None),
    ("按进度推进", None),
    ("", None),
])
def test_deadline_forms(phrase, date):
    assert resolve(phrase, 2027) == date


def test_month_deadlines_need_a_year():
    assert resolve("6月底", None) is None
    assert resolve("2026年6月底", None) == "2026-06-30"


def test_plan_year_comes_from_the_title_or_the_caller():
    body = "1．建成智慧园区平台。（6月底完成，牵头单位：建设局）\n"
    assert _tasks(body)["1"]["deadline"] == "2027-06-30"
    assert _tasks(body, year=2030)["1"]["deadline"] == "2030-06-30"
    untitled = extract("一、产业发展\n" + body)
    t = untitled["targets"][0]
    assert (untitled["title"], untitled["year"], t["deadline"], t["deadline_text"]) == (
        None, None, None, "6月底完成")


def test_a_deadline_in_another_year_stays_in_that_year():
    t = _tasks("1．建成智慧园区平台。（2028年3月底完成，牵头单位：建设局）\n")["1"]
    assert t["deadline"] == "2028-03-31"


def test_a_bad_deadline_is_kept_as_written_without_a_date():
    t = _tasks("1．建成智慧园区平台。（13月底完成，牵头单位：建设局）\n")["1"]
    assert (t["deadline"], t["deadline_text"], t["lead_units"]) == (None, "13月底完成", ["建设局"])
    assert t["problems"] == ["第1项的完成时限“13月底完成”不是有效日期：请改为实有的月份或日期"
                             "（如“6月底”“2027年6月30日”）后重新导入"]


def test_a_prose_deadline_is_dated_in_the_plan_year():
    got = extract(HEAD + "（一）招商。确保三季度末前新引进项目10个，全年新增规上企业5家。\n")["targets"]
    assert [(t["value"], t["deadline_text"], t["deadline"], t["item"]) for t in got] == [
        (10, "三季度末", "2027-09-30", None), (5, "全年", "2027-12-31", None)]


def test_a_heading_with_attributes_passes_them_to_the_items_below_it():
    body = ("（一）招商引资（牵头单位：招商局；责任领导：王五）\n"
            "1．引进亿元以上项目5个。\n"
            "2．举办推介会3场。（6月底完成，配合单位：商务局）\n"
            "（二）民生保障（社会事业局负责）\n"
            "3．新建学校1所。\n")
    got = [(t["item"], t["value"], t["lead_units"], t["cooperating_units"], t["leader"], t["deadline"])
           for t in extract(HEAD + body)["targets"]]
    assert got == [
        ("1", 5, ["招商局"], [], "王五", None),
        ("2", 3, ["招商局"], ["商务局"], "王五", "2027-06-30"),
        ("3", 1, ["社会事业局"], [], None, None),
    ]


@pytest.mark.parametrize("line", [
    "1．落实《园区行动计划（2027年）》，新增规上企业10家。",   # a title's bracket
    "1．优化审批流程，办理时限：3个工作日，新增规上企业10家。",  # a time limit in prose
    "1．压实牵头单位责任，新增规上企业10家。",
])
def test_prose_that_only_looks_like_attributes_makes_no_task(line):
    got = extract(HEAD + line + "\n")["targets"]
    assert [(t["item"], t["lead_units"], t["deadline_text"]) for t in got if t["value"] == 10] == [(None, [], None)]
