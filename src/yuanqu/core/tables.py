"""A register's list columns, declared once for its page and its .xlsx export (django-tables2).

    class ItemTable(Table):
        number = Column("编号", width=16, td="text-nowrap small")
        title = Column("标题", width=40, cell="supervision/cells/title.html")
        deadline = Column("办理期限", width=12, number_format="yyyy-mm-dd")
        requirement = Column("要求", width=40, page=False)      # in the export only

        class Meta(Table.Meta):
            attrs = {"class": "table table-hover align-middle mb-0"}
            empty_text = "没有符合条件的督办单。"

The page renders `{% include "core/table.html" %}` (headers, rows, cells); the export writes
`table_sheet(ItemTable(rows), title, note)` with `core.xlsx`. A cell shows the column's value, or
what `render_<name>(self, record, value)` on the table returns, or the column's `cell` template
(rendered in the page's context, with `record` and `value`). The export writes the raw value
(numbers stay numbers, dates dates), or what `value_<name>(self, record, value)` returns.
Ordering and pagination stay with our filters and paginator: tables here never sort.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import A
from django_tables2 import Column as BaseColumn
from django_tables2 import Table as BaseTable
from django_tables2 import utils as tables2_utils

from .xlsx import Column as SheetColumn
from .xlsx import Sheet

# django-tables2 asks `inspect.signature` of the render method for every cell it renders
# (utils.call_with_appropriate): a seventh of a 50-row page's time. A function's signature does
# not change, and a method's is the same whatever instance it is bound to: remember it.
_signature = tables2_utils.signature
_signatures: dict = {}


def _signature_of(fn):
    func = getattr(fn, "__func__", None)
    key = (func or fn, func is not None)
    try:
        return _signatures[key]
    except KeyError:
        result = _signature(fn)
        if len(_signatures) < 4096:  # the tables' methods and lambdas: a fixed set
            _signatures[key] = result
        return result
    except TypeError:  # not hashable: ask each time
        return _signature(fn)


tables2_utils.signature = _signature_of


class Column(BaseColumn):
    """A column of a page and of its export.

    header: the export's header, and the page's unless `page_header` differs; width (characters)
    and number_format (Excel's) for the export; th/td: the page cells' CSS classes (th_style for a
    min-width); page/export: where the column appears; cell: a template for the page cell."""

    def __init__(self, header: str, accessor=None, *, width: float | None = None,
                 number_format: str | None = None, page: bool = True, export: bool = True,
                 page_header: str | None = None, th: str = "", td: str = "", th_style: str = "",
                 cell: str | None = None, **kwargs):
        attrs = {"th": {"class": th or None, "style": th_style or None}, "td": {"class": td or None}}
        super().__init__(verbose_name=header, accessor=accessor, visible=page, exclude_from_export=not export,
                         orderable=False, empty_values=(), attrs=attrs, **kwargs)
        self.width = width
        self.number_format = number_format
        self.page_header = page_header
        self.cell = cell

    def render(self, value, record, table):
        if self.cell:
            context = getattr(table, "context", None)
            if context is None:
                context = Context({"request": getattr(table, "request", None)})
            with context.push(record=record, value=value):
                return get_template(self.cell).template.render(context)
        return "" if value is None else value

    def value(self, value, **kwargs):
        return value


class Table(BaseTable):
    """Base of our tables: no ordering of its own (our filters order), rendered by core/table.html."""

    class Meta:
        orderable = False
        template_name = "core/table.html"
        attrs = {"class": "table table-hover align-middle mb-0"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # django-tables2 exports what render_<name> shows when there is no value_<name>; our
        # exports want the raw value instead (numbers and dates typed, no HTML).
        for bound in self.columns.iterall():
            if not hasattr(self, f"value_{bound.name}"):
                bound.value = bound.column.value

    def sheet(self, title: str, filters_note: str = "") -> Sheet:
        return table_sheet(self, title, filters_note)


class DatedTable(Table):
    """A table whose cells read the day (or moment) it is shown on, `on=`: its `overdue` column
    is a red badge on the page and "逾期" in the export for a record whose `is_overdue(on)`."""

    def __init__(self, data, *, on, **kwargs):
        super().__init__(data, **kwargs)
        self.on = on

    def render_overdue(self, record):
        return badge("逾期") if record.is_overdue(self.on) else ""

    def value_overdue(self, record):
        return "逾期" if record.is_overdue(self.on) else ""


def link(url_name: str, pk, text) -> str:
    """A page cell linking to a record's page (`url_name` reversed with `pk`), the text escaped."""
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), text)


def badge(text, tone: str = "danger") -> str:
    """A page cell's Bootstrap badge ("danger": red, "success", "warning", "secondary")."""
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, text)


def table_sheet(table: BaseTable, title: str, filters_note: str = "") -> Sheet:
    """The export's sheet of a table: its exported columns (header, width, number format) over
    its rows, each cell read as the column's export value; in the table's `export_sequence` when
    the export orders its columns otherwise than the page."""
    columns = []
    bound_columns = table.columns.iterall()
    if sequence := getattr(table, "export_sequence", None):
        bound_columns = [table.columns[name] for name in sequence]
    for bound in bound_columns:
        column = bound.column
        if column.exclude_from_export:
            continue
        columns.append(SheetColumn(
            str(bound.header), _cell_value(table, bound),
            width=getattr(column, "width", None), number_format=getattr(column, "number_format", None),
        ))
    return Sheet(title, columns, table.rows, filters_note)


def _cell_value(table: BaseTable, bound):
    """A row's export value as django-tables2's `BoundRow.get_cell_value` reads it (the accessor, a
    choice field's display, the column's empty values, then the value function with the arguments
    it names), with what depends only on the column worked out once: per cell, django-tables2's
    bookkeeping was half of the export of 10,000 targets."""
    accessor, column, value_of = A(bound.accessor), bound.column, bound.value
    wanted, takes_all = tables2_utils.signature(value_of)
    displayed: dict[type, bool] = {}  # by record class: read through get_<field>_display()?

    def read(row):
        record = row.record
        kind = type(record)
        shows = displayed.get(kind)
        if shows is None:
            shows = _shows_display(accessor, record)
            if shows is not None:  # known from the model: the same for every record of the class
                displayed[kind] = shows
        value = None
        try:
            if shows:
                penultimate, remainder = accessor.penultimate(record)
                value = getattr(penultimate, f"get_{remainder}_display")()
            else:
                value = accessor.resolve(record)
        except Exception:  # as django-tables2: a column that is no field reads as nothing
            value = None
        if value in column.empty_values:
            return None
        arguments = {"value": value, "record": record, "column": column, "bound_column": bound,
                     "bound_row": row, "table": table}
        if not takes_all:
            if any(name not in arguments for name in wanted):
                return None
            arguments = {name: arguments[name] for name in wanted}
        return value_of(**arguments)

    return read


def _shows_display(accessor, record) -> bool | None:
    """Whether the column reads a choice field's display; None when this model record cannot say
    (an empty relation on the way to the field): then the next record is asked."""
    penultimate, remainder = accessor.penultimate(record)
    if not remainder:
        return False
    if not isinstance(penultimate, models.Model):
        return None if isinstance(record, models.Model) else False
    try:
        field = accessor.get_field(record)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "choices", ())) and hasattr(penultimate, f"get_{remainder}_display")
