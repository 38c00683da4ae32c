"""Reading a generated bulletin back with python-docx."""

import io

from docx import Document
from docx.oxml.ns import qn


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_with_header(doc, first: str, second: str):
    """The tables whose header row starts with these two cells (section tables share a header)."""
    return [t for t in doc.tables if [c.text for c in t.rows[0].cells[:2]] == [first, second]]


def column(table, index: int) -> list[str]:
    return [row.cells[index].text for row in table.rows[1:]]


def east_asia_fonts(element) -> set[str]:
    return {f.get(qn("w:eastAsia")) for f in element.iter(qn("w:rFonts")) if f.get(qn("w:eastAsia"))}


def table_by_headers(doc, headers: list[str]):
    return [t for t in doc.tables if [c.text for c in t.rows[0].cells] == headers]


SECTION_HEADERS = ["序号", "目标", "牵头单位", "目标值", "最新采纳值", "完成度", "序时进度", "状态"]
RED_HEADERS = ["序号", "目标", "牵头单位", "完成度", "序时进度", "原因"]
LATE_HEADERS = ["序号", "目标", "牵头单位", "完成期限", "最新采纳值", "完成度"]
SUPERVISION_HEADERS = ["序号", "编号", "督办事项", "牵头单位", "办理期限", "逾期天数"]
RANKING_HEADERS = ["名次", "牵头单位", "牵头目标数", "绿灯及已完成", "占比", "红灯数", "说明"]
