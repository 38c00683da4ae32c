"""A task's time phrase wherever it stands in its own text; dated steps; what a task writes wrongly;
measure heads without the task's attribute brackets."""

import pytest

from yuanqu.plans.extract import extract

HEAD = "某镇2027年重点工作安排\n一、基础设施\n"


def _first(body: str, **kw) -> dict:
    return extract(HEAD + body, **kw)["targets"][0]


# -------------------------------------------------- deadline after the task ----

@pytest.mark.parametrize(("line", "phrase", "date"), [
    ("1. 改造老旧小区6个（住建局牵头，财政局配合），年底前完成。（3分）", "年底前完成", "2027-12-31"),
    ("1. 改造老旧小区6个（镇住建办牵头），三季度末前完成。", "三季度末前完成", "2027-09-30"),
    ("1. 改造老旧小区6个，年底前完成（牵头单位：住建局）", "年底前完成", "2027-12-31"),
    ("1. 改造老旧小区6个（责任单位：住建局），2027年10月15日前完成。", "2027年10月15日前完成", "2027-10-15"),
    ("1. 改造老旧小区6个，5月底前完成。（住建局负责）", "5月底前完成", "2027-05-31"),
    ("1. 改造老旧小区6个（住建局负责）。上半年完成。", "上半年完成", "2027-06-30"),
    # written before the task, or as a field: as before
    ("1. 年底前改造老旧小区6个（住建局负责）", "年底前", "2027-12-31"),
    ("1. 改造老旧小区6个（完成时限：8月底前；牵头单位：住建局）", "8月底前", "2027-08-31"),
])
def test_a_task_is_dated_by_its_time_phrase_wherever_it_stands(line, phrase, date):
    t = _first(line + "\n")
    assert (t["item"], t["value"], t["deadline_text"], t["deadline"], t["steps"]) == ("1", 6, phrase, date, [])


def test_every_target_of_the_task_without_its_own_phrase_takes_it():
    got = extract(HEAD + "1. 新修水渠3公里、9月底前疏浚河道5公里（水利站牵头），年底前完成。\n")["targets"]
    assert [(t["value"], t["deadline"]) for t in got] == [(3, "2027-12-31"), (5, "2027-09-30")]


def test_of_two_steps_the_finishing_one_dates_the_task_and_the_start_is_a_step():
    t = _first("1. 新建污水管网12公里（责任单位：住建局），7月底前动工，11月底前建成。（2分）\n")
    assert (t["value"], t["deadline_text"], t["deadline"]) == (12, "11月底前建成", "2027-11-30")
    assert t["steps"] == [{"text": "7月底前动工", "deadline": "2027-07-31"}]


def test_a_start_step_alone_dates_the_task():
    t = _first("1. 新建污水管网12公里（住建局负责），8月底前开工。\n")
    assert (t["deadline_text"], t["deadline"], t["steps"]) == ("8月底前开工", "2027-08-31", [])


def test_an_interim_figure_is_a_target_of_its_own_with_its_own_date():
    got = extract(HEAD + "1. 完成镇域投资4亿元（牵头单位：经发办）（2分）8月底前完成全年投资的60%。\n")["targets"]
    assert [(t["value"], t["unit"], t["deadline"], t["lead_units"]) for t in got] == [
        (4, "亿元", None, ["经发办"]), (60, "%", "2027-08-31", ["经发办"])]


def test_ongoing_work_after_the_task_has_no_date():
    t = _first("1. 巡查河道不少于20次（水利站负责），持续推进。（1分）\n")
    assert (t["deadline_text"], t["deadline"], t["ongoing"]) == ("持续推进", None, True)


@pytest.mark.parametrize("line", [
    "1. 今年以来，改造老旧小区6个（住建局负责）。",   # a past scene, not a deadline
    "1. 改造老旧小区6个（住建局负责），确保居民满意。",
])
def test_clauses_that_are_not_time_steps_give_no_deadline(line):
    t = _first(line + "\n")
    assert (t["deadline_text"], t["deadline"]) == (None, None)


def test_a_numbered_item_without_attributes_is_still_no_task():
    got = extract(HEAD + "1. 改造老旧小区6个，年底前完成。\n")["targets"]
    assert [(t["item"], t["lead_units"]) for t in got] == [(None, [])]


# ---------------------------------------------------------------- problems ----

@pytest.mark.parametrize(("line", "problem"), [
    ("3. 改造老旧小区6个（住建局负责），13月底前完成。", "第3项的完成时限“13月底前完成”不是有效日期"),
    ("3. 改造老旧小区6个（完成时限：2027年2月30日；牵头单位：住建局）", "第3项的完成时限“2027年2月30日”不是有效日期"),
    ("3．改造老旧小区6个（0月底完成，住建局负责）", "第3项的完成时限“0月底完成”不是有效日期"),
    ("3. 改造老旧小区6个（住建局负责）（两分）", "第3项的分值“两分”不是数字"),
    ("3. 改造老旧小区6个（牵头单位：住建局；分值：三分）", "第3项的分值“三分”不是数字"),
])
def test_what_a_task_writes_wrongly_is_named_with_its_number(line, problem):
    got = extract(HEAD + "1. 新修水渠3公里（水利站负责）（2分）\n" + line + "\n")
    assert len(got["problems"]) == 1 and got["problems"][0].startswith(problem)
    assert "重新导入" in got["problems"][0]
    assert [t["problems"] for t in got["targets"] if t["item"] == "1"] == [[]]


def test_a_leap_day_is_wrong_only_in_a_year_without_one():
    ok = extract(HEAD + "1. 改造老旧小区6个（2028年2月29日前完成，住建局负责）\n")
    bad = extract(HEAD + "1. 改造老旧小区6个（2027年2月29日前完成，住建局负责）\n")
    assert (ok["problems"], ok["targets"][0]["deadline"]) == ([], "2028-02-29")
    assert len(bad["problems"]) == 1 and bad["targets"][0]["deadline"] is None


def test_a_targets_own_wrong_date_outside_a_task_is_named_by_its_text():
    got = extract(HEAD + "（一）道路。确保13月底前新修道路5公里。\n")
    assert got["problems"] and got["problems"][0].startswith("目标“") and "13月底前" in got["problems"][0]


# ------------------------------------------------------------------- heads ----

def test_a_measure_head_drops_the_tasks_attribute_brackets():
    body = ("1. 新修水渠不少于3公里（牵头单位：水利站），年底前完成。\n"
            "2. 改造老旧小区6个（住建局牵头）（2分）\n"
            "3. 落实《镇村规划（2027年）》要求（规划办负责）\n")
    assert [m["head"] for m in extract(HEAD + body)["measures"]] == [
        "新修水渠不少于3公里", "改造老旧小区6个", "落实《镇村规划（2027年）》要求"]


def test_a_head_cut_inside_a_bracket_ends_before_it():
    body = "1. 提升镇容镇貌（含背街小巷：共12条），全年完成。\n2. 建设文化站。\n"
    assert [m["head"] for m in extract(HEAD + body)["measures"]] == ["提升镇容镇貌", "建设文化站"]


def test_a_scored_rule_with_a_time_clause_is_no_task():
    got = extract(HEAD + "1. 改造老旧小区6个（2分），年底前完成。\n")["targets"]
    assert [(t["item"], t["deadline_text"]) for t in got] == [(None, None)]
