"""core.tables: one declaration gives the page's columns and the export's sheet."""

import datetime as dt
import io
from decimal import Decimal

from django.template import Context, Template
from django.utils.html import format_html
from python_calamine import CalamineWorkbook

from yuanqu.core.tables import Column, Table
from yuanqu.core.xlsx import write_sheets


class ThingTable(Table):
    name = Column("名称", width=20, td="text-nowrap")
    amount = Column("金额", width=12, number_format="#,##0.00", th="text-end")
    due = Column("期限", number_format="yyyy-mm-dd", page=False)
    note = Column("备注", cell="core/tests/note_cell.html")
    action = Column("", "name", export=False)

    export_sequence = ("amount", "name", "due", "note")

    class Meta(Table.Meta):
        empty_text = "没有东西。"

    def render_amount(self, value):
        return format_html("<b>{}</b>", value)

    def render_action(self, record):
        return format_html('<a href="/things/{}/">打开</a>', record["name"])


ROWS = [
    {"name": "甲", "amount": Decimal("1234.5"), "due": dt.date(2026, 3, 31), "note": "说明"},
    {"name": "乙", "amount": None, "due": None, "note": ""},
]


def _page(table) -> str:
    return Template('{% include "core/table.html" %}').render(Context({"table": table, "marker": "页面变量"}))


def test_the_page_shows_page_columns_with_their_cells(settings, tmp_path):
    (tmp_path / "core" / "tests").mkdir(parents=True)
    (tmp_path / "core" / "tests" / "note_cell.html").write_text("<i>{{ value }}</i>·{{ marker }}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    html = _page(ThingTable(ROWS))
    headers = html[html.index("<thead>"):html.index("</thead>")]
    assert [h for h in ("名称", "金额", "期限", "备注") if h in headers] == ["名称", "金额", "备注"]
    assert '<th class="text-end">金额</th>' in headers
    assert '<td class="text-nowrap">甲</td>' in html
    assert "<b>1234.5</b>" in html  # render_<name> shapes the page cell
    assert "<i>说明</i>·页面变量" in html  # the cell template sees the page's context
    assert '<a href="/things/甲/">打开</a>' in html
    assert "2026" not in html  # an export-only column stays off the page


def test_an_empty_table_says_so_across_its_columns():
    html = _page(ThingTable([]))
    assert '<td colspan="4" class="text-center text-muted py-4">没有东西。</td>' in html


def test_the_export_writes_raw_values_in_its_own_order():
    out = io.BytesIO()
    [count] = write_sheets(out, [ThingTable(ROWS).sheet("东西", "范围：全部")])
    assert count == 2
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
    assert rows[0][0].startswith("东西；范围：全部；导出时间：")
    assert rows[1] == ["金额", "名称", "期限", "备注"]  # export_sequence; the page-only column is left out
    assert rows[2] == [1234.5, "甲", dt.date(2026, 3, 31), "说明"]  # typed, not the page's HTML
    assert rows[3] == ["", "乙", "", ""]


def test_export_columns_carry_width_and_number_format():
    sheet = ThingTable(ROWS).sheet("东西")
    formats = {c.header: (c.width, c.number_format) for c in sheet.columns}
    assert formats == {"金额": (12, "#,##0.00"), "名称": (20, None), "期限": (None, "yyyy-mm-dd"), "备注": (None, None)}


def test_the_export_reads_each_cell_as_django_tables2_does(plan, users):
    """core.tables reads export values without django-tables2's per-cell bookkeeping: for every
    exported column of real tables (the target list; the 督办单 list, whose state is a choice
    field read through its display), the value is the one `BoundRow.get_cell_value` gives."""
    from yuanqu.core.tables import table_sheet
    from yuanqu.plans.selectors import target_facts
    from yuanqu.plans.tables import TargetTable
    from yuanqu.supervision.models import SupervisionItem
    from yuanqu.supervision.tables import ItemTable

    targets = list(plan.targets.alive().select_related("plan", "section", "lead_unit"))
    item = SupervisionItem.objects.create(year=2026, seq=1, number="督〔2026〕1号", title="督办", state="in_progress",
                                          lead_unit=targets[0].lead_unit, deadline=dt.date(2026, 10, 1))
    tables = [TargetTable(targets, facts=target_facts(targets, dt.date(2026, 9, 15))),
              ItemTable(SupervisionItem.objects.filter(pk=item.pk), on=dt.date(2026, 9, 15))]
    for table in tables:
        sheet = table_sheet(table, "表")
        names = [b.name for b in table.columns.iterall() if not b.column.exclude_from_export]
        for row in table.rows:
            for name, column in zip(names, sheet.columns, strict=True):
                assert column.value(row) == row.get_cell_value(name), (type(table).__name__, name)
