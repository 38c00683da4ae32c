"""The bulletin's tables are built from prototype rows: each body row must be, XML for XML, the
row python-docx formats cell by cell (fonts, sizes, alignment, the status colour, no split)."""

from docx import Document
from docx.shared import Cm
from lxml import etree

from yuanqu.reports import bulletin


def _xml(tr) -> bytes:
    return etree.tostring(tr, encoding="utf-8")


def test_prototype_rows_equal_rows_formatted_cell_by_cell():
    headers = ["序号", "目标", "牵头单位", "状态"]
    rows = [["1", "招引项目100个", "招商局", "红灯"], ["2", " 前后有空格 ", "", "绿灯"],
            ["3", "两行\n文字", "农业农村局", "红灯"], ["4", "培育新型农民", "三南村", "黄灯"]]
    statuses = ["red", "green", "red", "yellow"]
    widths_cm = [1.0, 8.0, 3.0, 3.6]
    doc = bulletin._setup_document()
    bulletin._table(doc, headers, widths_cm, rows, left={1}, status_col=3, statuses=statuses)
    built = doc.tables[-1].rows[1:]
    assert [[c.text for c in r.cells] for r in built] == rows

    reference = Document().add_table(rows=0, cols=len(headers))
    widths = [Cm(w) for w in bulletin.fit_widths(headers, rows, widths_cm, {1})]
    for values, status, row in zip(rows, statuses, built, strict=True):
        expected = bulletin._formatted_row(reference, values, widths, {1}, 3, bulletin.STATUS_COLOURS.get(status))
        assert _xml(row._tr) == _xml(expected._tr)
