"""Reading uploads: formats, encodings, refusals, and how cells become values."""

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.columns import (
    BoolColumn,
    CellError,
    DateColumn,
    DecimalColumn,
    EnumColumn,
    IntColumn,
    TextColumn,
)
from yuanqu.core.imports.reading import read_table

from .spreadsheets import csv_bytes, xls, xlsx

ROWS = [["登录名", "姓名", "电话"], ["zhangsan", "张三", 13800000000], ["lisi", "李四", None]]


@pytest.mark.parametrize("name, data", [
    ("a.xlsx", xlsx(ROWS)),
    ("a.xls", xls(ROWS)),
    ("a.csv", csv_bytes(ROWS)),
    ("a.csv", b"\xef\xbb\xbf" + csv_bytes(ROWS)),
    ("a.csv", csv_bytes(ROWS, "gb18030")),
    ("A.CSV", csv_bytes(ROWS, "gb18030")),
])
def test_every_format_and_encoding_reads_the_same_table(name, data):
    table = read_table(name, data)
    assert table.header == ["登录名", "姓名", "电话"]
    assert [n for n, _ in table.rows] == [2, 3]
    assert table.rows[0][1][:2] == ["zhangsan", "张三"]
    assert TextColumn("电话", "phone", digits=True).parse(table.rows[0][1][2], None) == "13800000000"
    assert table.rows[1][1][1] == "李四"


def test_header_whitespace_and_full_width_spaces_are_ignored_blank_lines_keep_row_numbers():
    table = read_table("a.csv", csv_bytes([[" 登录名 ", "姓\u3000名"], [], ["zs", "\u3000张三 "]]))
    assert table.header == ["登录名", "姓名"]
    assert table.rows == [(3, ["zs", "张三"])]


@pytest.mark.parametrize("name, data, message", [
    ("a.docx", b"PK\x03\x04 something", "不是电子表格"),
    ("a.pdf", b"%PDF-1.4", "不是电子表格"),
    ("a.xlsx", b"this is not a zip", "不是电子表格"),
    ("a.xls", b"plain text pretending", "不是电子表格"),
    ("a.csv", b"", "空表"),
    ("a.csv", b"\n\n , \n", "空表"),
    ("a.csv", "登录名,姓名\n".encode(), "只有表头"),
    ("a.xlsx", xlsx([]), "空表"),
])
def test_what_is_refused_and_why(name, data, message):
    with pytest.raises(ApplicationError) as exc:
        read_table(name, data)
    assert message in exc.value.message


@pytest.mark.parametrize("raw", [
    "2026-1-5", "2026/01/05", "2026.1.5", "2026年1月5日", "2026-01-05 00:00:00", 46027, 46027.0,
    dt.date(2026, 1, 5),
])
def test_dates_as_text_or_excel_serials(raw):
    assert DateColumn("日期", "d").parse(raw, None) == dt.date(2026, 1, 5)


def test_dates_from_an_xlsx_date_cell_read_as_iso_text():
    table = read_table("a.xlsx", xlsx([["日期"], [dt.date(2026, 1, 5)]]))
    assert DateColumn("日期", "d").parse(table.rows[0][1][0], None) == dt.date(2026, 1, 5)


@pytest.mark.parametrize("column, raw, value", [
    (IntColumn("排序", "o"), "3.0", 3),
    (IntColumn("排序", "o"), 3.0, 3),
    (IntColumn("排序", "o"), "1,200", 1200),
    (DecimalColumn("金额", "a"), "1,234.50", Decimal("1234.50")),
    (DecimalColumn("金额", "a"), 0.1, Decimal("0.1")),
    (BoolColumn("启用", "b"), "是", True),
    (BoolColumn("启用", "b"), "否", False),
    (BoolColumn("启用", "b"), "TRUE", True),
    (BoolColumn("启用", "b"), 0, False),
    (EnumColumn("角色", "r", choices=[("admin", "系统管理员")]), "系统管理员", "admin"),
    (EnumColumn("角色", "r", choices=[("admin", "系统管理员")]), "ADMIN", "admin"),
    (TextColumn("电话", "p", digits=True), "13800000000.0", "13800000000"),
    (TextColumn("编码", "c"), 3.5, "3.5"),
])
def test_cells_become_values(column, raw, value):
    assert column.parse(raw, None) == value


@pytest.mark.parametrize("column, raw, message", [
    (IntColumn("排序", "o"), "3.5", "不是整数"),
    (IntColumn("排序", "o"), "三", "不是整数"),
    (DecimalColumn("金额", "a"), "约100", "不是数字"),
    (DateColumn("日期", "d"), "2026-02-30", "不是日期"),
    (DateColumn("日期", "d"), "下周一", "不是日期"),
    (BoolColumn("启用", "b"), "也许", "应填“是”或“否”"),
    (EnumColumn("角色", "r", choices=[("admin", "系统管理员")]), "管理员", "不是可选值（可选：系统管理员）"),
    (TextColumn("电话", "p", digits=True), "1.38E+10", "科学计数法"),
    (TextColumn("简称", "s", max_length=3), "四个字的", "不能超过3个字"),
])
def test_bad_cells_say_why(column, raw, message):
    with pytest.raises(CellError) as exc:
        column.parse(raw, None)
    assert message in str(exc.value)


def test_a_many_to_many_cell_lists_names_separated_by_either_comma_or_enumeration_mark():
    from yuanqu.core.imports import ManyToManyColumn
    from yuanqu.org.models import OrgUnit

    class Lookup:
        def find(self, column, text):
            if text == "火星局":
                raise CellError("未找到单位“火星局”")
            return text

    column = ManyToManyColumn("协办单位", "cooperating_units", model=OrgUnit, lookup=("name",))
    assert column.parse("招商局、农业农村局,招商局，三南村", Lookup()) == ["招商局", "农业农村局", "三南村"]
    with pytest.raises(CellError, match="火星局"):
        column.parse("招商局、火星局", Lookup())
    assert "多个用“、”或逗号分隔" in column.allowed()
