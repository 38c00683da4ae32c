"""Plan files in every format the offices send, read by plans.documents: encodings, Word with its
tables in document order, workbooks, PDFs (and scans), old .doc through the server's converter."""

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from docx import Document

from yuanqu.core.errors import ApplicationError
from yuanqu.plans.documents import formats, read_document

from .pdfs import scanned_pdf, text_pdf

FILES = Path(__file__).parent / "files"
PLAN = "一、招商引资\n全年招引亿元以上项目20个以上。\n二、乡村振兴\n培育新型农民不少于150人。"


# ---------------------------------------------------------------- text and encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PLAN.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + PLAN.encode("utf-8"), "UTF-8"),
        (PLAN.encode("gbk"), "GB18030"),
        (PLAN.encode("gb2312"), "GB18030"),
        (PLAN.encode("utf-16"), "UTF-16"),
    ],
)
def test_text_is_decoded_and_its_encoding_named(data, encoding):
    document = read_document(data, "计划.txt")
    assert document.text == PLAN
    assert (document.format, document.encoding) == ("text", encoding)


def test_a_character_outside_gbk_is_read_from_gb18030():
    # 䶮 (U+4DAE) is four bytes in GB18030 and has no GBK code at all.
    text = "一、人才工作\n引进䶮姓专家1名。"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_document(data, "计划.txt").text == text


# A picture's bytes (NUL bytes: no text), and bytes that are neither UTF-8 nor GB18030 (0xFF leads nothing).
@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x80\xff\xfe\xff\xff"])
def test_bytes_that_are_no_text_are_refused_naming_the_file(data):
    with pytest.raises(ApplicationError) as exc:
        read_document(data, "图片.txt")
    assert "“图片.txt”" in exc.value.message and "UTF-8" in exc.value.message and "GB18030" in exc.value.message
    assert exc.value.field == "file"


def test_the_command_reads_a_gbk_file_under_the_same_rule(tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "计划.txt"
    path.write_bytes(PLAN.encode("gbk"))
    out = StringIO()
    call_command("plan", "extract", str(path), stdout=out)
    assert [s["title"] for s in json.loads(out.getvalue())["sections"]] == ["招商引资", "乡村振兴"]


def test_an_empty_file_is_named():
    with pytest.raises(ApplicationError, match="“空.txt”是空文件"):
        read_document(b"", "空.txt")


# ---------------------------------------------------------------- Word (.docx)


def _docx(build) -> bytes:
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _task_table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    return table


def test_a_word_table_with_merged_cells_is_read_in_document_order():
    def build(document):
        document.add_paragraph("三和片区2027年重点工作安排")
        document.add_paragraph("为推进片区高质量发展，制定本安排。")
        table = _task_table(document, [
            ["序号", "工作任务", "完成时限", "牵头单位", "配合单位"],
            ["营商环境", "", "", "", ""],
            ["1", "推进一网通办。", "6月底", "政务服务局", ""],
            ["2", "优化审批流程", "年底前", "", "经发局\n招商局"],
            ["3", "建设智慧园区", "三季度末", "", ""],
            ["二、产业发展", "", "", "", ""],
            ["", "新开工亿元以上项目10个", "9月底", "招商局", ""],
        ])
        table.cell(1, 0).merge(table.cell(1, 4))  # a group row across the table
        table.cell(2, 3).merge(table.cell(4, 3))  # one lead unit for three tasks
        table.cell(5, 0).merge(table.cell(5, 4))
        document.add_paragraph("各牵头单位每月底前报送进展。")

    document = read_document(_docx(build), "任务.docx")
    assert document.format == "docx" and document.encoding is None
    assert document.text.splitlines() == [
        "三和片区2027年重点工作安排",
        "为推进片区高质量发展，制定本安排。",
        "一、营商环境",
        "1．推进一网通办（完成时限：6月底）（牵头单位：政务服务局）",
        "2．优化审批流程（完成时限：年底前）（牵头单位：政务服务局；配合单位：经发局、招商局）",
        "3．建设智慧园区（完成时限：三季度末）（牵头单位：政务服务局）",
        "二、产业发展",
        "1．新开工亿元以上项目10个（完成时限：9月底）（牵头单位：招商局）",
        "各牵头单位每月底前报送进展。",
    ]
    assert document.tables[0].mapping == {"no": 0, "task": 1, "deadline": 2, "lead": 3, "coop": 4}


def test_a_task_merged_down_over_two_unit_rows_stays_one_task_with_both_units():
    def build(document):
        table = _task_table(document, [
            ["序号", "工作内容", "责任单位"],
            ["1", "建设人才公寓200套", "建设局"],
            ["", "", "人社局"],
        ])
        table.cell(1, 1).merge(table.cell(2, 1))
        table.cell(1, 0).merge(table.cell(2, 0))

    # No groups and no heading before the table: the tasks sit under one section, not one each.
    assert read_document(_docx(build), "任务.docx").text == "一、重点工作任务\n1．建设人才公寓200套（牵头单位：建设局、人社局）"


def test_a_word_table_that_is_no_task_list_stays_text():
    def build(document):
        document.add_paragraph("一、主要指标")
        _task_table(document, [["指标", "2026年"], ["地区生产总值", "增长6%"]])

    document = read_document(_docx(build), "计划.docx")
    assert document.tables == []
    assert document.text == "一、主要指标\n指标，2026年\n地区生产总值，增长6%"


def test_a_file_named_docx_that_is_not_one_is_refused():
    with pytest.raises(ApplicationError, match="不是有效的 Word"):
        read_document(PLAN.encode(), "计划.docx")


# ---------------------------------------------------------------- workbooks (.xlsx)


def task_sheet() -> bytes:
    """A task sheet as offices make it: a title row above the header, a group cell merged down the
    rows it names, a lead unit merged over two tasks, dates and scores as numbers, a notes sheet."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("任务分解")
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, 6, "2027年重点工作任务分解表")
    sheet.write_row(1, 0, ["序号", "类别", "工作任务", "完成时间", "牵头部门", "配合部门", "分值"])
    sheet.merge_range(2, 1, 4, 1, "营商环境")
    sheet.write_row(2, 2, ["推进一网通办"])
    sheet.write_datetime(2, 3, dt.datetime(2027, 6, 30), day)
    sheet.merge_range(2, 4, 3, 4, "政务服务局")
    sheet.write_row(2, 5, ["大数据中心", 0.5])
    sheet.write_row(3, 2, ["优化审批流程", "年底前", None, None, 2.0])
    sheet.write_row(4, 2, ["建设智慧园区", "9月底", "建设局", None, 1])
    sheet.write_row(5, 1, ["产业发展", "新开工亿元以上项目10个", "9月底", "招商局", "经发局、财政局"])
    for r in range(2, 6):
        sheet.write_number(r, 0, r - 1)
    notes = workbook.add_worksheet("填表说明")
    notes.write(0, 0, "请各单位按月更新。")
    workbook.close()
    return out.getvalue()


def test_an_xlsx_task_sheet_with_a_title_row_and_merged_cells():
    document = read_document(task_sheet(), "任务分解.xlsx")
    assert document.format == "xlsx" and len(document.tables) == 1
    table = document.tables[0]
    assert (table.header_row, table.title) == (1, "工作表“任务分解”")
    assert table.mapping == {"no": 0, "group": 1, "task": 2, "deadline": 3, "lead": 4, "coop": 5, "points": 6}
    assert document.text.splitlines() == [
        "2027年重点工作任务分解表",
        "一、营商环境",
        "1．推进一网通办（完成时限：2027年6月30日）（牵头单位：政务服务局；配合单位：大数据中心）（0.5分）",
        "2．优化审批流程（完成时限：年底前）（牵头单位：政务服务局）（2分）",
        "3．建设智慧园区（完成时限：9月底）（牵头单位：建设局）（1分）",
        "二、产业发展",
        "4．新开工亿元以上项目10个（完成时限：9月底）（牵头单位：招商局；配合单位：经发局、财政局）",
    ]


def test_an_xlsx_without_a_recognisable_header_names_the_headers_expected():
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["A", "B", "C"])
    sheet.write_row(1, 0, ["推进一网通办", "6月底", "政务服务局"])
    workbook.close()
    with pytest.raises(ApplicationError) as exc:
        read_document(out.getvalue(), "清单.xlsx")
    message = exc.value.message
    assert "“清单.xlsx”" in message and "表头" in message
    assert all(word in message for word in ("序号", "工作任务", "完成时限", "牵头单位", "配合单位"))


def test_a_broken_workbook_is_refused():
    with pytest.raises(ApplicationError, match="不是有效的电子表格"):
        read_document(b"PK\x03\x04 not really", "任务.xlsx")


# ---------------------------------------------------------------- PDF


def test_a_pdf_text_layer_is_read_and_its_wrapped_lines_joined():
    lines = [
        "三和片区2027年重点工作安排",
        "一、优化营商环境",
        "（一）推进政务服务改革，全面推行一网通办，实现登记业务全市通办，确保全年办件",
        "量达到10万件以上。",
        "（二）全年新增市场主体3000户以上。",
        "- 1 -",
    ]
    document = read_document(text_pdf(lines), "安排.pdf")
    assert document.format == "pdf"
    assert document.text.splitlines() == [
        "三和片区2027年重点工作安排",
        "一、优化营商环境",
        "（一）推进政务服务改革，全面推行一网通办，实现登记业务全市通办，确保全年办件量达到10万件以上。",
        "（二）全年新增市场主体3000户以上。",
    ]


def test_a_scanned_pdf_asks_for_the_text_or_a_word_file():
    with pytest.raises(ApplicationError) as exc:
        read_document(scanned_pdf(), "扫描件.pdf")
    assert "“扫描件.pdf”" in exc.value.message and "没有文字层" in exc.value.message
    assert "Word" in exc.value.message and "粘贴" in exc.value.message


def test_a_file_named_pdf_that_is_not_one_is_refused():
    with pytest.raises(ApplicationError, match="不是有效的 PDF"):
        read_document(b"%PDF-1.7 broken", "计划.pdf")


# ---------------------------------------------------------------- old Word (.doc)

DOC = (FILES / "task_plan.doc").read_bytes()
DOC_TASKS = [
    "1．全面推行一网通办，实现登记业务全市通办，确保全年办件量达到10万件以上，群众满意率达到98%以上"
    "（完成时限：6月底）（牵头单位：政务服务局）",
    "2．新开工亿元以上项目10个（完成时限：9月底）（牵头单位：招商局）",
    "3．完成道路改造3公里（完成时限：年底前）（牵头单位：招商局）",
    "4．新增就业岗位2000个（完成时限：12月底）（牵头单位：社会事业局）",
]


def only(monkeypatch, tool: str | None):
    """The server as if `tool` were its only converter."""
    found = shutil.which(tool) if tool else None
    monkeypatch.setattr(formats.shutil, "which", lambda name: found if name == tool else None)
    return found


def test_a_doc_without_a_converter_asks_for_docx_and_names_the_package(monkeypatch):
    only(monkeypatch, None)
    with pytest.raises(ApplicationError) as exc:
        read_document(DOC, "旧计划.doc")
    assert "“旧计划.doc”" in exc.value.message and "另存为 .docx" in exc.value.message
    assert "apt-get install antiword" in exc.value.message


def test_a_doc_is_read_through_antiword_with_its_task_table(monkeypatch):
    if not only(monkeypatch, "antiword"):
        pytest.skip("antiword not installed (apt-get install antiword)")
    document = read_document(DOC, "旧计划.doc")
    assert document.format == "doc" and len(document.tables) == 1
    assert document.text.splitlines() == [
        "三和片区2027年重点工作安排", "为推进片区高质量发展，制定本安排。", "一、重点工作任务", *DOC_TASKS,
        "各牵头单位每月底前报送进展。",
    ]


def test_a_doc_is_read_through_libreoffice_where_antiword_is_missing(monkeypatch):
    if not only(monkeypatch, "soffice"):
        pytest.skip("LibreOffice not installed")
    text = read_document(DOC, "旧计划.doc").text
    assert text.startswith("三和片区2027年重点工作安排\n为推进片区高质量发展，制定本安排。")
    assert "新增就业岗位2000个" in text


@pytest.mark.parametrize(("data", "message"), [(b"plain text, no Word", "不是有效的 Word")])
def test_a_file_named_doc_that_is_no_word_file_is_refused(data, message):
    with pytest.raises(ApplicationError, match=message):
        read_document(data, "计划.doc")


def test_a_word_file_with_broken_xml_is_named_not_a_server_error():
    import io as _io
    import zipfile as _zip

    out = _io.BytesIO()
    with _zip.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types")  # malformed XML inside a valid zip
        z.writestr("word/document.xml", "<w:document")
    with pytest.raises(ApplicationError, match="不是有效的 Word"):
        read_document(out.getvalue(), "坏的.docx")
