"""Turn an uploaded file into a header and rows of plain cells, or a Chinese reason why not.

.xlsx and .xls are read by python-calamine (Rust, no formula evaluation, no macros); .csv is
decoded as UTF-8 (with or without BOM) and else as GB18030, which is what Excel in a Chinese
locale writes when asked for "CSV".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from yuanqu.core.errors import ApplicationError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
SPREADSHEET_EXTENSIONS = (".xlsx", ".xls", ".csv")
# Spaces of every width (a full-width space U+3000 is common in Chinese headers).
_SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)
    header_row: int = 1  # blank rows above the header are skipped


def clean_header(text) -> str:
    return _SPACES.sub("", str(text or ""))


def normalise_cell(value):
    """JSON-safe cell: trimmed text (None when blank), int/float/bool as is, dates as ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\u3000", " ").replace("\u00a0", " ").strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return str(value).strip() or None


def check_upload_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise ApplicationError(f"“{name}”过大（{size / 1024 / 1024:.1f} MB），请不超过 10 MB。", field="file")


def read_table(name: str, data: bytes) -> Table:
    lower = (name or "").lower()
    if not lower.endswith(SPREADSHEET_EXTENSIONS):
        raise ApplicationError(f"“{name}”不是电子表格，请上传 .xlsx、.xls 或 .csv 文件。", field="file")
    check_upload_size(name, len(data))
    if lower.endswith(".csv"):
        grid = _read_csv(name, data)
    else:
        grid = _read_workbook(name, data)
    lines = [(number, [normalise_cell(c) for c in row]) for number, row in enumerate(grid, start=1)]
    lines = [(n, cells) for n, cells in lines if any(c is not None for c in cells)]
    if not lines:
        raise ApplicationError(f"“{name}”是空表，没有任何内容。", field="file")
    header_number, header_cells = lines[0]
    header = [clean_header(c) for c in header_cells]
    rows = [(n, cells) for n, cells in lines[1:]]
    if not rows:
        raise ApplicationError(f"“{name}”只有表头，没有数据行。", field="file")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(f"“{name}”有{len(rows)}行，一次最多导入{MAX_ROWS}行，请分批导入。", field="file")
    return Table(header=header, rows=rows, header_row=header_number)


def _read_workbook(name: str, data: bytes) -> list[list]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ApplicationError(f"“{name}”是空表，没有任何工作表。", field="file")
        # The template's first sheet holds the data; a notes sheet may follow.
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ApplicationError:
        raise
    except Exception:
        raise ApplicationError(
            f"“{name}”不是电子表格，或文件已损坏/加密，无法读取。请用 Excel 或 WPS 另存为 .xlsx 后重新上传。",
            field="file",
        ) from None


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (a superset of GBK/GB2312)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ApplicationError("无法识别文件编码，请将 CSV 保存为 UTF-8 或 GB18030（GBK）编码。", field="file") from None


def _read_csv(name: str, data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ApplicationError(f"“{name}”不是电子表格（CSV 文本），请上传 .xlsx、.xls 或 .csv 文件。", field="file")
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
