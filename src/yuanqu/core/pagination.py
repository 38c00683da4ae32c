"""Pages of long lists: sorted on the keys alone, then only the page's rows loaded.

A list of 10,000 targets or 200,000 grid events sorted on joined columns makes the database carry
every row whole through the sort (SQLite's sorter holds every selected column; a late page of a
wide join took a second). `Paginator` sorts and slices the primary keys alone, then loads the
page's rows (with their joins, annotations and prefetches) by key, in the sorted order. (A list
annotated with a window function would number the page's rows only: page such a list as values.)
"""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class Paginator(DjangoPaginator):
    """Django's paginator, slicing a model queryset on its keys (any other sequence as Django does)."""

    def page(self, number):
        rows = self.object_list
        if (not isinstance(rows, QuerySet) or rows._fields is not None or rows.query.is_sliced
                or rows.query.combinator):
            return super().page(number)  # a list, or values() rows: nothing wide to carry
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(rows.values_list("pk", flat=True)[bottom:top])
        loaded = {row.pk: row for row in rows.order_by().filter(pk__in=keys)}
        return self._get_page([loaded[k] for k in keys if k in loaded], number, self)


class ClampedPaginator(Paginator):
    """A page number past the end is the last page, below 1 the first (as `get_page` does on pages)."""

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            return 1 if int(number) < 1 else max(self.num_pages, 1)


class KeyedPagination(PageNumberPagination):
    """The API's pages (REST_FRAMEWORK's default): DRF's page numbers over `Paginator` above."""

    django_paginator_class = Paginator
