"""Build small spreadsheets in memory for the import tests (xlsx, xls, csv)."""

import csv
import io

import xlsxwriter
import xlwt
from python_calamine import CalamineWorkbook


def xlsx(rows: list[list], sheet: str = "数据") -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if hasattr(value, "isoformat"):
                ws.write_datetime(r, c, value, date_format)
            else:
                ws.write(r, c, value)
    workbook.close()
    return out.getvalue()


def xls(rows: list[list]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    ws = workbook.add_sheet("数据")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode(encoding)


def sheets(data: bytes) -> dict[str, list[list]]:
    """Every sheet of an .xlsx as lists of cells."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
