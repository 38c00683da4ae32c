"""督办通知单: a 督办单 printed as the office sends it (.docx).

`notice_data` says what the notice holds (reads only); `render_notice` lays it out with python-docx
in the official layout the bulletin uses (A4, GB/T 9704 margins, 仿宋 三号 body, red masthead and
rule, 文号, 标题, 主送单位, a table of 督办事项 / 办理要求 / 办理时限, the office's 落款 and date).
The layout pieces (fonts, sizes, paragraphs, rules) are the bulletin's, so both papers look alike.
"""

from __future__ import annotations

import datetime as dt
import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from yuanqu.reports.bulletin import (
    ERHAO,
    FONT_BODY,
    FONT_TITLE,
    RED,
    SANHAO,
    SIHAO,
    TEXT_WIDTH,
    _border,
    _cell_text,
    _narrow_cell_margins,
    _para,
    _run,
    _setup_document,
    cn_date,
)

from .models import SupervisionItem

FEEDBACK_RULE = "请于办理时限前通过平台反馈办理结果，并上传佐证材料；确需延期的，须在期限届满前提出延期申请。"
LABEL_WIDTH = Cm(3.2)


def deadline_text(item: SupervisionItem) -> str:
    text = f"{cn_date(item.deadline)}前"
    if item.time_limit:
        text += f"（{item.time_limit}个{item.get_day_type_display()}，自交办次日起算）"
    return text


def source_text(item: SupervisionItem) -> str:
    kind = item.get_source_kind_display()
    target = item.target
    if target is not None:
        plan, section = target.plan, target.section
        return f"{kind}：{plan.year}年{plan.title} › {section.no}、{section.title} › {target.title}"
    return f"{kind}：{item.source_text}" if item.source_text else kind


def notice_data(item: SupervisionItem, *, on: dt.date) -> dict:
    """What the notice says. Dated the day it was handed over (交办), else the day it is printed."""
    assisting = [u.name for u in item.assisting_units.all()]
    return {
        "number": item.number,
        "title": item.title,
        "lead_unit": item.lead_unit.name,
        "assisting": assisting,
        "source": source_text(item),
        "requirement": item.requirement or "按要求抓紧办理，确保按期办结。",
        "deadline": deadline_text(item),
        "office": item.issuing_unit.name if item.issuing_unit_id else "督查室",
        "dated": item.assigned_on or on,
    }


def _rows(data: dict) -> list[tuple[str, str]]:
    rows = [("督办事项", data["title"]), ("事项来源", data["source"]), ("牵头单位", data["lead_unit"])]
    if data["assisting"]:
        rows.append(("协办单位", "、".join(data["assisting"])))
    rows += [("办理要求", data["requirement"]), ("办理时限", data["deadline"]), ("反馈要求", FEEDBACK_RULE)]
    return rows


def render_notice(data: dict) -> bytes:
    doc = _setup_document()
    props = doc.core_properties
    props.title = f"督办通知单 {data['number']}"
    props.author = data["office"]
    props.language = "zh-CN"

    # Masthead: the paper's name in red, the 文号 under it, a red rule across the page.
    masthead = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, after=6)
    _run(masthead, "督办通知单", FONT_TITLE, Pt(36), color=RED)
    number = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _run(number, data["number"], FONT_BODY, SANHAO)
    _border(number, "bottom", color="FF0000", size=18, space=6)

    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, before=8, after=8)
    _run(title, data["title"], FONT_TITLE, ERHAO)

    addressee = _para(doc)
    _run(addressee, f"{data['lead_unit']}：", FONT_BODY, SANHAO)
    opening = _para(doc, first_line=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8)
    partners = f"，{'、'.join(data['assisting'])}协办" if data["assisting"] else ""
    _run(opening, f"现将下列事项交你单位牵头办理{partners}。请按办理要求抓紧落实，按期反馈。", FONT_BODY, SANHAO)

    rows = _rows(data)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_cell_margins(table)
    widths = (LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH)
    for row, (label, text) in zip(table.rows, rows, strict=True):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        _cell_text(row.cells[0], label, bold=True)
        for i, line in enumerate(text.split("\n")):
            paragraph = row.cells[1].paragraphs[0] if i == 0 else row.cells[1].add_paragraph()
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _run(paragraph, line, FONT_BODY, SIHAO)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    # 落款: the office and the date, right-aligned a line below the table, kept on one page together.
    _para(doc, exact=Pt(28)).paragraph_format.keep_with_next = True
    for text in (data["office"], cn_date(data["dated"])):
        line = _para(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(32)
        line.paragraph_format.keep_with_next = text == data["office"]
        _run(line, text, FONT_BODY, SANHAO)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
