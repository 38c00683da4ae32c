"""The multi-sheet variant of the .xlsx machinery (the single-sheet API is tested in tests/reports)."""

import datetime as dt
import zipfile

from django.utils import timezone

from yuanqu.core.xlsx import Column, Sheet, write_sheets, xlsx_response

from .conftest import XLSX, read_book

NOW = timezone.make_aware(dt.datetime(2025, 7, 5, 9, 30))


def test_each_sheet_has_its_own_note_headers_rows_and_autofilter(tmp_path):
    path = tmp_path / "book.xlsx"
    counts = write_sheets(str(path), [
        Sheet("排名", [Column("单位", "u"), Column("得分", "s", number_format="0.00")],
              iter([{"u": "甲", "s": 91.5}, {"u": "乙", "s": 80}]), filters_note="第1版"),
        Sheet("明细", [Column("事项", "d")], iter([{"d": "a"}, {"d": "b"}, {"d": "c"}])),
        Sheet("空表", [Column("甲", "x"), Column("乙", "y")], []),
    ], now=NOW)
    assert counts == [2, 3, 0]
    book = read_book(path.read_bytes())
    assert list(book) == ["排名", "明细", "空表"]
    assert book["排名"] == [["排名；第1版；导出时间：2025-07-05 09:30", ""], ["单位", "得分"], ["甲", 91.5], ["乙", 80.0]]
    assert book["明细"][0] == ["明细；导出时间：2025-07-05 09:30"]
    assert [r[0] for r in book["明细"][1:]] == ["事项", "a", "b", "c"]
    assert book["空表"][1] == ["甲", "乙"]
    archive = zipfile.ZipFile(path)
    assert '<autoFilter ref="A2:B4"/>' in archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<autoFilter ref="A2:A5"/>' in archive.read("xl/worksheets/sheet2.xml").decode()
    assert all('ySplit="2"' in archive.read(f"xl/worksheets/sheet{i}.xml").decode() for i in (1, 2, 3))


def test_sheet_names_are_made_valid_and_unique():
    long = "考核结果" * 10
    response = xlsx_response(
        "考核.xlsx",
        Sheet("a/b:c", [Column("x", "x")], [{"x": 1}]),
        Sheet("A/B:C", [Column("x", "x")], []),  # Excel compares names case-insensitively
        Sheet(long, [Column("x", "x")], []),
        Sheet(long, [Column("x", "x")], []),
    )
    assert response["Content-Type"] == XLSX
    assert "filename*=UTF-8''%E8%80%83%E6%A0%B8.xlsx" in response["Content-Disposition"]
    names = list(read_book(response.content))
    assert names[:2] == ["a_b_c", "A_B_C(2)"]
    assert names[2] == long[:31] and names[3] == long[:28] + "(2)"
    assert all(len(n) <= 31 for n in names)
