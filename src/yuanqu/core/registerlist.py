"""A register's list page and its .xlsx export: one declaration over one filter and one table.

The page and the export read the same rows (the register's `find`, on its `ListFilters`, from
`visible_to(user)`), so they can never disagree; the page paginates them and answers htmx with its
table fragment, the export writes them all with a note line naming the day and the filters.

    hazards = RegisterList(
        check=_reader, find=selectors.filter_hazards, table=HazardTable, table_on="on",
        template="inspections/hazard_list.html", partial="inspections/_table.html", sheet="隐患整改",
        context=lambda request, found: {"states": State.choices, ...})
    hazard_list, hazard_export = hazards.page, hazards.export

Every name below is a default a register may give as a keyword (a function then, not a method) or
override in a subclass (the odd one: a table whose page cells need the user, a note naming the
scope). What a list does beyond this (a board, a map, a page that also takes a POST) stays its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yuanqu.core.pagination import Paginator

from . import clock
from .pages import is_partial
from .xlsx import xlsx_response

PAGE_SIZE = 50


@dataclass
class Found:
    """What one request's list found: the parsed filters, the rows (unevaluated) and the day (or
    time) they were found on."""

    request: Any
    filters: Any
    qs: Any
    on: dt.date | dt.datetime


def filter_note(filters) -> str:
    """The export note's "；筛选：状态：办理中，…" part ("" when nothing is filtered)."""
    labels = filters.labels()
    return "；筛选：" + "，".join(labels) if labels else ""


class RegisterList:
    template = ""         # the page
    partial = ""          # the table fragment an htmx request gets ("" : always the page)
    table = None          # the Table class, for the page and the export
    table_on = ""         # the keyword the table takes the day by ("on"; "now" for a time), if any
    sheet = ""            # the export's sheet, and its file "<sheet>.xlsx" unless `filename` says otherwise
    page_size = PAGE_SIZE

    def __init__(self, **declared):
        for name, value in declared.items():
            if not hasattr(type(self), name):
                raise TypeError(f"RegisterList has no {name!r} to declare")
            setattr(self, name, value)
        # The two views a register's urls.py names (hazard_list, hazard_export).
        self.page = login_required(self.page_view)
        self.export = login_required(self.export_view)

    # ------------------------------------------------------------ what a register declares

    def check(self, user) -> None:
        """Raise PermissionDenied unless the user may read this list."""
        raise NotImplementedError

    def find(self, user, params, on):
        """(filters, queryset) for the query string, scoped to the user."""
        raise NotImplementedError

    def today(self):
        return clock.today()

    def context(self, request, found: Found) -> dict:
        """What the page's template needs besides page, table and filters (choices, buttons)."""
        return {}

    def make_table(self, rows, found: Found, *, page: bool):
        return self.table(rows, **({self.table_on: found.on} if self.table_on else {}))

    def export_rows(self, found: Found) -> list:
        return list(found.qs)

    def filename(self, found: Found) -> str:
        return f"{self.sheet}.xlsx"

    def note(self, found: Found, rows: list) -> str:
        return f"导出日期：{found.on:%Y-%m-%d}" + filter_note(found.filters)

    # ------------------------------------------------------------ what the chassis does

    def found(self, request) -> Found:
        on = self.today()
        filters, qs = self.find(request.user, request.GET, on)
        return Found(request, filters, qs, on)

    def page_view(self, request):
        self.check(request.user)
        found = self.found(request)
        page = Paginator(found.qs, self.page_size).get_page(request.GET.get("page"))
        context = {"filters": found.filters, **self.context(request, found),
                   "page": page, "table": self.make_table(list(page), found, page=True)}
        template = self.partial if self.partial and is_partial(request) else self.template
        return render(request, template, context)

    def export_view(self, request):
        self.check(request.user)
        found = self.found(request)
        rows = self.export_rows(found)
        return xlsx_response(self.filename(found),
                             self.make_table(rows, found, page=False).sheet(self.sheet, self.note(found, rows)))
