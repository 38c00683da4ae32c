"""Task tables: the header row found and mapped, the office's own mapping checked, tables pasted as
tab-separated text, and the rows rendered into the plan text the extractor reads."""

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.plans.documents import TaskTable, apply_mapping, guess_mapping, read_pasted
from yuanqu.plans.documents.tables import detect, header_field, task_lines


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序 号", "no"), ("序", "no"), ("工作任务", "task"), ("工作内容", "task"), ("目标任务", "task"),
        ("具体目标", "target"), ("目标值", "target"), ("完成时限", "deadline"), ("时间节点", "deadline"), ("完成时间", "deadline"),
        ("牵头单位", "lead"), ("责任单位", "lead"), ("牵头部门", "lead"), ("牵头单位（部门）", "lead"),
        ("配合单位", "coop"), ("协办单位", "coop"), ("配合部门", "coop"), ("责任领导", "leader"),
        ("分管领导", "leader"), ("牵头领导", "leader"), ("分值", "points"), ("分数", "points"),
        ("类别", "group"), ("备注", None), ("2027年重点工作任务分解表", None),
    ],
)
def test_header_names_are_recognised(header, field):
    assert header_field(header) == field


def test_the_header_is_found_below_title_rows_and_under_a_two_row_header():
    rows = [
        ["附件1", "", "", "", ""],
        ["2027年重点工作任务分解表", "", "", "", ""],
        ["序号", "工作任务", "完成时限", "责任单位", ""],
        ["", "", "", "牵头单位", "配合单位"],
        ["1", "推进一网通办", "6月底", "政务服务局", "大数据中心"],
    ]
    assert guess_mapping(rows) == (2, 4, {"no": 0, "task": 1, "deadline": 2, "lead": 3, "coop": 4})


def test_a_table_without_a_task_column_is_no_task_list():
    assert guess_mapping([["指标", "目标值"], ["地区生产总值", "增长6%"]]) is None
    assert guess_mapping([["工作任务"], ["推进一网通办"]]) is None  # one field is no header


def _table() -> TaskTable:
    table = TaskTable(title="表格1", rows=[
        ["序号", "工作任务", "具体内容", "牵头单位", "备注"],
        ["1", "一网通办", "全面推行一网通办", "政务服务局", "大数据中心配合"],
    ])
    assert detect(table)
    return table


def test_a_field_mapped_to_two_columns_names_both_columns():
    table = _table()
    with pytest.raises(ApplicationError) as exc:
        apply_mapping(table, {0: "no", 1: "task", 2: "task", 3: "lead", 4: ""})
    message = exc.value.message
    assert "第2列“工作任务”" in message and "第3列“具体内容”" in message and "任务内容" in message
    assert exc.value.field == "columns"


def test_a_mapping_without_a_task_column_is_refused():
    with pytest.raises(ApplicationError, match="任务内容"):
        apply_mapping(_table(), {0: "no", 1: "", 2: "", 3: "lead", 4: ""})


def test_the_offices_mapping_decides_the_rendered_text():
    table = _table()
    assert task_lines(table) == ["1．一网通办（牵头单位：政务服务局）"]
    changed = apply_mapping(table, {0: "no", 1: "", 2: "task", 3: "lead", 4: "coop"})
    assert changed == {"no": 0, "task": 2, "lead": 3, "coop": 4}
    assert task_lines(table, changed) == ["1．全面推行一网通办（牵头单位：政务服务局；配合单位：大数据中心配合）"]


def test_groups_keep_their_own_numeral_and_the_rest_are_numbered_after_it():
    table = TaskTable(title="表格1", rows=[
        ["序号", "工作任务", "牵头单位"],
        ["三、产业发展", "", ""],
        ["", "招引项目10个", "招商局"],
        ["", "（二）城市建设", ""],
        ["", "修路3公里", "建设局"],
        ["", "建公园2个", "园林局"],
        ["五", "民生保障", ""],
        ["1", "新增就业2000人", "人社局"],
    ])
    assert detect(table)
    assert task_lines(table) == [
        "三、产业发展", "1．招引项目10个（牵头单位：招商局）",
        "四、城市建设", "1．修路3公里（牵头单位：建设局）", "2．建公园2个（牵头单位：园林局）",
        "五、民生保障", "1．新增就业2000人（牵头单位：人社局）",
    ]


def test_every_part_of_a_task_line_in_its_place_and_empty_parts_left_out():
    table = TaskTable(title="表格1", rows=[
        ["序号", "目标任务", "时间节点", "牵头部门", "协办单位", "分管领导", "分数"],
        ["（1）", "完成目录数据挂载。", "2027-06-30", "大数据中心", "各部门", "张三", "1.50"],
        ["2.", "上线运行智慧园区平台", "", "", "", "", ""],
    ])
    assert detect(table)
    assert task_lines(table) == [
        "1．完成目录数据挂载（完成时限：2027年6月30日）（牵头单位：大数据中心；配合单位：各部门）（责任领导：张三）（1.5分）",
        "2．上线运行智慧园区平台",
    ]


def test_a_table_pasted_as_tab_separated_text_is_read_like_a_word_table():
    text = (
        "三和片区2027年重点工作安排\n"
        "序号\t工作任务\t完成时限\t牵头单位\t配合单位\n"
        "一、营商环境\t\t\t\t\n"
        "1\t推进一网通办\t6月底\t政务服务局\t\n"
        "2\t\"优化审批流程，\n压减时限一半\"\t年底前\t\t经发局\n"
        "各单位抓好落实。"
    )
    document = read_pasted(text)
    assert len(document.tables) == 1 and document.tables[0].title == "粘贴的表格"
    # A blank lead cell of a pasted table is the merged cell above; a blank 配合单位 stays blank.
    assert document.text.splitlines() == [
        "三和片区2027年重点工作安排",
        "一、营商环境",
        "1．推进一网通办（完成时限：6月底）（牵头单位：政务服务局）",
        "2．优化审批流程，压减时限一半（完成时限：年底前）（牵头单位：政务服务局；配合单位：经发局）",
        "各单位抓好落实。",
    ]


def test_pasted_text_without_a_task_table_is_left_as_it_is():
    text = "一、招商引资\n指标\t2026年\n全年招引项目20个。\n"
    document = read_pasted(text)
    assert document.tables == [] and document.text == text.rstrip("\n")
    plain = "一、招商引资。\n\n全年招引项目20个。"
    assert read_pasted(plain).text == plain


def test_a_document_survives_the_trip_through_the_form():
    from yuanqu.plans.documents import PlanDocument

    document = read_pasted("序号\t工作任务\t牵头单位\n1\t修路\t建设局\n\t建桥\t\n")
    again = PlanDocument.from_dict(document.to_dict())
    assert again.text == document.text == "一、重点工作任务\n1．修路（牵头单位：建设局）\n2．建桥（牵头单位：建设局）"
    assert again.tables[0].continued == document.tables[0].continued


def test_a_task_and_its_goal_in_two_columns_become_one_task_line():
    from yuanqu.plans.documents import read_pasted

    text = ("重点任务\t具体目标\t牵头单位\t完成时限\n"
            "实施智慧园区平台\t上线运行\t经济发展局\t9月底\n"
            "招商引资\t新引进亿元以上项目5个\t招商局\t年底前\n")
    document = read_pasted(text)
    assert document.tables[0].mapping == {"task": 0, "target": 1, "lead": 2, "deadline": 3}
    assert document.text.splitlines()[1:] == [
        "1．实施智慧园区平台：上线运行（完成时限：9月底）（牵头单位：经济发展局）",
        "2．招商引资：新引进亿元以上项目5个（完成时限：年底前）（牵头单位：招商局）",
    ]


def test_a_sheet_whose_only_content_column_is_the_goal_still_reads_as_tasks():
    from yuanqu.plans.documents import read_pasted

    document = read_pasted("序号\t年度目标\t责任单位\n1\t新建公园2个\t建设局\n")
    assert document.text.splitlines() == ["一、重点工作任务", "1．新建公园2个（牵头单位：建设局）"]
