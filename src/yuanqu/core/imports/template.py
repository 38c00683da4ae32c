"""The downloadable .xlsx template: the header row, one sample row, drop-downs for choice and
yes/no columns, and a 填写说明 sheet describing every column."""

from __future__ import annotations

import io

import xlsxwriter

from .base import Importer

DATA_ROWS = 5000  # how far down the drop-downs reach


def template_bytes(importer: Importer) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    required_format = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "align": "center",
                                           "font_color": "#C00000"})
    text_format = workbook.add_format({"num_format": "@"})  # phones and codes stay text
    sheet = workbook.add_worksheet(importer.title)
    notes = workbook.add_worksheet("填写说明")
    lists = workbook.add_worksheet("选项")
    lists.hide()
    for i, column in enumerate(importer.columns):
        sheet.write(0, i, column.header, required_format if column.required else header_format)
        sheet.set_column(i, i, max(12, len(column.header) * 2 + 4), text_format if column.type_label == "文本" else None)
        sample = column.sample
        if sample not in (None, ""):
            sheet.write(1, i, sample)
        if column.help:
            sheet.write_comment(0, i, column.help)
        choices = column.dropdown()
        if choices:
            # Long lists go through a hidden sheet (Excel limits inline lists to 255 characters).
            for r, choice in enumerate(choices):
                lists.write(r, i, choice)
            letter = xlsxwriter.utility.xl_col_to_name(i)
            sheet.data_validation(1, i, DATA_ROWS, i, {
                "validate": "list", "source": f"=选项!${letter}$1:${letter}${len(choices)}",
                "error_title": column.header, "error_message": f"请从下拉列表中选择：{column.allowed()}",
            })
    sheet.freeze_panes(1, 0)

    notes.set_column(0, 0, 16)
    notes.set_column(1, 2, 10)
    notes.set_column(3, 4, 50)
    notes.write_row(0, 0, ["列名", "类型", "是否必填", "可填写的值", "说明"], header_format)
    for r, column in enumerate(importer.columns, start=1):
        notes.write_row(r, 0, [column.header, column.type_label, "必填" if column.required else "选填",
                               column.allowed(), column.help])
    r = len(importer.columns) + 2
    key_header = importer.column(importer.natural_key).header
    for line in [
        f"按「{key_header}」匹配：已有的记录会被更新，没有的会新建；同一文件中「{key_header}」不能重复。",
        "选填列留空表示不修改已有的值；不需要的列可以删除，多出的列会被忽略。",
        "第一个工作表是数据；第1行为表头，第2行是示例，请替换或删除。",
        "可上传 .xlsx、.xls 或 .csv（UTF-8 或 GB18030 编码）。",
        *([importer.notes] if importer.notes else []),
    ]:
        notes.write(r, 0, line)
        r += 1
    workbook.close()
    return out.getvalue()
