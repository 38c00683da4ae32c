"""core.pagination: pages sorted on the keys alone, then the page's rows loaded by key."""

from django.core.paginator import Paginator as DjangoPaginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core.pagination import ClampedPaginator, Paginator
from yuanqu.plans.models import Target

from ..factories import make_target


def _grow(plan, units, n):
    section = plan.sections.first()
    for i in range(n):
        make_target(plan, section, units["agri"], f"分页目标{i:03d}", order=i % 7)


def test_every_page_holds_the_rows_django_would_in_the_same_order(plan, units):
    _grow(plan, units, 23)
    qs = (Target.objects.filter(plan=plan).select_related("section", "lead_unit")
          .order_by("section__order", "order", "title", "pk"))
    ours, django = Paginator(qs, 5, orphans=2), DjangoPaginator(qs, 5, orphans=2)
    assert ours.num_pages == django.num_pages
    for number in ours.page_range:
        page = ours.page(number)
        assert [t.pk for t in page] == [t.pk for t in django.page(number)]
        assert page[0].section.title  # the joins come with the rows
    assert [t.pk for t in Paginator(list(qs), 5).page(2)] == [t.pk for t in django.page(2)]  # a plain list


def test_the_sort_carries_the_keys_only_and_the_rows_are_read_by_key(plan, units):
    _grow(plan, units, 12)
    qs = Target.objects.filter(plan=plan).select_related("section").order_by("section__order", "order", "pk")
    with CaptureQueriesContext(connection) as ctx:
        list(Paginator(qs, 5).page(2))
    count, keys, rows = (q["sql"] for q in ctx.captured_queries)
    assert "COUNT" in count
    assert "ORDER BY" in keys and "LIMIT" in keys and '"plans_target"."title"' not in keys
    assert '"plans_target"."title"' in rows and "ORDER BY" not in rows and "LIMIT" not in rows


def test_a_page_past_the_end_is_the_last(plan, units):
    _grow(plan, units, 7)
    paginator = ClampedPaginator(Target.objects.filter(plan=plan).order_by("pk"), 5)
    assert paginator.page(99).number == paginator.num_pages
    assert paginator.page(-3).number == 1
