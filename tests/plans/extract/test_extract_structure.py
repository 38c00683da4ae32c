"""Structure chosen from the whole document: excerpts, parts, the title line and its year."""

import pytest

from yuanqu.plans.extract import extract

REPORT = (
    "2027年政府工作报告\n"
    "一、2026年工作回顾\n"
    "过去一年，全区完成地区生产总值500亿元，增长6.5%。\n"
    "（一）经济稳中向好。规上工业增加值增长8%。\n"
    "（二）民生持续改善。新增就业1.2万人。\n"
    "二、2027年政府工作任务\n"
    "今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业1万人以上。\n"
    "（一）着力扩大有效投资。全年实施重点项目100个，完成投资300亿元。\n"
    "（二）加快产业升级。新增规上企业50家。\n"
    "（三）深化改革开放。引进外资项目10个。\n"
    "（四）推进城乡融合。改造老旧小区20个。\n"
    "（五）保障改善民生。新建学校3所。\n"
    "三、加强政府自身建设\n"
    "我们要坚持依法行政，建设人民满意政府。\n"
)


def _placed(result) -> list[tuple]:
    return [(t["section"], t["measure"], t["value"]) for t in result["targets"]]


def test_government_work_report_reads_its_work_as_measures_under_the_task_section():
    got = extract(REPORT)
    assert (got["title"], got["year"]) == ("2027年政府工作报告", 2027)
    assert [s["no"] for s in got["sections"]] == ["一", "二", "三"]
    assert [m["no"] for m in got["measures"] if m["section"] == "二"] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert _placed(got) == [("二", None, 6), ("二", None, 1), ("二", "（一）", 100), ("二", "（一）", 300),
                            ("二", "（二）", 50), ("二", "（三）", 10), ("二", "（四）", 20), ("二", "（五）", 3)]


def test_an_excerpt_starting_at_the_second_heading_keeps_it_as_the_section():
    """Only "二、2027年政府工作任务" of the report: its （一）…（五） stay measures, not sections."""
    excerpt = REPORT[REPORT.index("二、"):REPORT.index("三、")]
    got = extract(excerpt)
    assert [s["no"] for s in got["sections"]] == ["二"]
    assert {t["section"] for t in got["targets"]} == {"二"}
    assert _placed(got)[2:] == _placed(extract(REPORT))[2:]


def test_a_lone_second_heading_over_plain_text_is_not_taken_for_a_section_run():
    """Without a run of items under it, a stray "二、" yields to the level that is a run."""
    text = "（一）扩大投资。新增项目10个。\n（二）改善民生。\n二、其他事项\n（三）加强党建。\n"
    assert [s["no"] for s in extract(text)["sections"]] == ["一", "二", "三"]


def test_parts_keep_their_repeated_numerals_apart():
    text = ("园区2027年考核办法\n一、考核对象\n各部门。\n二、考核方式\n实行百分制。\n"
            "附件\n考核指标\n一、招商引资\n1．引进项目5个。（6月底完成，牵头单位：招商局）\n"
            "二、民生保障\n2．新建学校1所。（牵头单位：社会事业局）\n")
    got = extract(text)
    assert [(s["no"], s["part"]) for s in got["sections"]] == [
        ("一", "办法"), ("二", "办法"), ("一", "附件"), ("二", "附件")]
    assert [(t["section"], t["part"], t["value"]) for t in got["targets"]] == [("一", "附件", 5), ("二", "附件", 1)]


def test_one_part_has_no_part_name():
    assert {s["part"] for s in extract(REPORT)["sections"]} == {None}


def test_title_line_gives_title_and_year():
    got = extract("三和片区2027年重点工作安排\n一、招商引资。新增项目10个。\n")
    assert (got["title"], got["year"]) == ("三和片区2027年重点工作安排", 2027)
    got = extract("关于印发《三和片区2027年重点工作安排》的通知\n一、招商引资。新增项目10个。\n")
    assert got["title"] is None  # a notice is not the plan's title
    got = extract("三和片区2026—2028年行动方案\n一、招商引资。新增项目10个。\n")
    assert (got["title"], got["year"]) == ("三和片区2026—2028年行动方案", None)  # a span names no one year


@pytest.mark.parametrize(("text", "measures", "target_measures"), [
    # a task list numbers its items on across sections
    ("一、项目建设\n1．新开工项目10个。\n2．完成投资50亿元。\n二、招商引资\n3．新签约项目30个。\n4．举办推介会5场。\n",
     [("一", "1．"), ("一", "2．"), ("二", "3．"), ("二", "4．")], ["1．", "2．", "3．", "4．"]),
    # … below the measures too: a later section holding only 4．5． has them as measures
    ("一、主要任务\n（一）招商引资\n1．引进项目10个。\n2．签约项目5个。\n（二）项目建设\n3．新开工项目8个。\n"
     "二、保障措施\n4．加强组织领导。\n5．强化督查考核。\n",
     [("一", "（一）"), ("一", "（二）"), ("二", "4．"), ("二", "5．")], ["（一）", "（一）", "（二）"]),
])
def test_items_numbered_on_across_sections_stay_measures(text, measures, target_measures):
    got = extract(text)
    assert [(m["section"], m["no"]) for m in got["measures"]] == measures
    assert [t["measure"] for t in got["targets"]] == target_measures


def test_a_stray_heading_after_a_run_of_items_does_not_take_them_over():
    text = ("（一）扩大投资。新增项目10个。\n（二）改善民生。新建学校2所。\n"
            "二、附表说明\n（一）表一。\n（二）表二。\n（三）表三。\n")
    got = extract(text)
    assert [s["no"] for s in got["sections"]][:2] == ["一", "二"]
    assert [(t["section"], t["value"]) for t in got["targets"]] == [("一", 10), ("二", 2)]


def test_an_item_whose_words_begin_with_digits_is_an_item_where_the_numbering_asks_for_it():
    got = extract("一、重点工作\n1.建成基站100个。\n2.12345热线接通率达到95%。\n3.新建充电桩50个。\n")
    assert [m["no"] for m in got["measures"]] == ["1.", "2.", "3."]
    assert [(t["measure"], t["value"]) for t in got["targets"]] == [("1.", 100), ("2.", 95), ("3.", 50)]
    # without an item on each side it stays a decimal: "2.5万亩" in item 1
    got = extract("一、重点工作\n1.建设高标准农田。\n2.5万亩。\n")
    assert [m["no"] for m in got["measures"]] == ["1."]
    assert [(t["value"], t["unit"]) for t in got["targets"]] == [(2.5, "万亩")]
