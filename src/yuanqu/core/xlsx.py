"""The .xlsx writer of every register's export. A register's table (core.tables) gives the sheet:

    return xlsx_response("督办单.xlsx", ItemTable(items, on=on).sheet("督办单", note))

Lower down, a sheet is columns over rows, and a workbook one or more sheets:

    columns = [Column("目标", "title", width=40), Column("完成度", lambda t: ..., number_format="0.0%")]
    return xlsx_response("目标清单.xlsx", Sheet("目标清单", columns, rows, filters_note="状态：红灯"))

The sheet's first line states what was exported (title, filters and scope, export time), the
second holds the headers (bold, filled, frozen, with an autofilter), data follow. XlsxWriter
runs in constant-memory mode, writing each row as it comes, so big exports stay small in memory.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse, HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read a row (callable, or attribute path "a.b.c"), optional
    width in characters and an Excel number format ("0.0%", "yyyy-mm-dd", "#,##0.00")."""

    header: str
    getter: Callable[[Any], Any] | str
    width: float | None = None
    number_format: str | None = None

    def value(self, row) -> Any:
        if callable(self.getter):
            return self.getter(row)
        value = row
        for part in self.getter.split("."):
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                return None
        return value


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """attachment with the real (Chinese) name per RFC 5987/6266 and an ASCII name for old clients:
    `fallback`, else the name's ASCII characters ("目标清单-2026年.xlsx" → "export-2026.xlsx")."""
    if fallback is None:
        stem, dot, ext = filename.rpartition(".")
        if not dot:
            stem, ext = filename, ""
        ascii_stem = stem.encode("ascii", "ignore").decode().strip("-_ .")
        if ascii_stem != stem:
            ascii_stem = f"export-{ascii_stem}" if ascii_stem else "export"
        fallback = ascii_stem + (f".{ext.encode('ascii', 'ignore').decode()}" if dot else "")
    fallback = re.sub(r'["\\\r\n;]', "", fallback).strip() or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _sheet_name(title: str) -> str:
    return (_SHEET_FORBIDDEN.sub("_", title).strip("'") or "Sheet1")[:31]


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a multi-sheet export: its title (also the sheet's name, cut to Excel's 31
    characters), columns, rows and the note written on its first line."""

    title: str
    columns: list[Column]
    rows: Iterable
    filters_note: str = ""


def write_sheets(out, sheets: list[Sheet], now: dt.datetime | None = None) -> list[int]:
    """Write several sheets, in order, into one workbook; returns each sheet's number of data rows.

    Constant-memory mode flushes a sheet's rows as they come, so each sheet is written whole
    before the next one starts."""
    now = timezone.localtime(now or timezone.now())
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
    try:
        note_format = workbook.add_format({"italic": True, "font_color": "#595959"})
        header_format = workbook.add_format({
            "bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter",
            "text_wrap": True,
        })
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        styles = {}  # one format per number format across sheets
        used_names: set[str] = set()
        counts = []
        for spec in sheets:
            sheet = workbook.add_worksheet(_unique_sheet_name(spec.title, used_names))
            formats = [
                styles.setdefault(c.number_format, workbook.add_format({"num_format": c.number_format}))
                if c.number_format else None
                for c in spec.columns
            ]
            counts.append(_fill_sheet(sheet, spec, formats, note_format, header_format, date_format, now))
    finally:
        workbook.close()
    return counts


def _unique_sheet_name(title: str, used: set[str]) -> str:
    """Excel refuses two sheets with one name (compared case-insensitively)."""
    name, n = _sheet_name(title), 2
    while name.lower() in used:
        suffix = f"({n})"
        name, n = _sheet_name(title)[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _fill_sheet(sheet, spec: Sheet, formats, note_format, header_format, date_format, now) -> int:
    columns = spec.columns
    for i, column in enumerate(columns):
        sheet.set_column(i, i, column.width or max(10, len(column.header) * 2 + 2))
    note = "；".join(part for part in (spec.title, spec.filters_note, f"导出时间：{now:%Y-%m-%d %H:%M}") if part)
    sheet.write_string(0, 0, note, note_format)
    for i, column in enumerate(columns):
        sheet.write_string(1, i, column.header, header_format)
    count = 0
    for r, row in enumerate(spec.rows, start=2):
        for i, column in enumerate(columns):
            _write(sheet, r, i, column.value(row), formats[i], date_format)
        count += 1
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1 + count, len(columns) - 1)
    return count


def _write(sheet, r: int, c: int, value, fmt, date_format) -> None:
    if value is None or value == "":
        sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(r, c, float(value), fmt)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, timezone.localtime(value) if timezone.is_aware(value) else value,
                             fmt or date_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, fmt or date_format)
    else:
        sheet.write_string(r, c, str(value), fmt)


def xlsx_file_response(filename: str, *sheets: Sheet) -> FileResponse:
    """As xlsx_response, for exports too big to hold: the rows (an iterator) are written as they
    come into a temporary file (XlsxWriter's constant-memory mode), which is then streamed and
    removed when the response closes. Memory stays flat however many rows."""
    out = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_sheets(out, list(sheets))
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(out, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(filename: str, *sheets: Sheet) -> HttpResponse:
    """An .xlsx download of the sheets, in order, named `filename` (Chinese allowed)."""
    out = io.BytesIO()
    write_sheets(out, list(sheets))
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
