"""Bad input on the review queue and the unit page — a page past the end, an unknown sort, a status
that is not one — is answered (the last page, the plan's order, a Chinese notice), never a 500; the
unit page's table is filtered, sorted and paginated in the database over the stored lights."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_target
from yuanqu.plans.models import ProgressReport, Target
from yuanqu.plans.views import CARD_SIZE, PAGE_SIZE


def _grow(plan, units, user, n: int, review=ProgressReport.Review.ACCEPTED, start: int = 0) -> None:
    section = plan.sections.first()
    for i in range(start, start + n):
        t = make_target(plan, section, units["agri"], f"单位目标{i:04d}")
        ProgressReport.objects.create(target=t, period=dt.date(plan.year, 8, 1), value=Decimal(i % 100),
                                      narrative="进展", submitted_by=user, review=review)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(ctx.captured_queries)


def test_review_queue_past_the_end_is_the_last_page(client, users, units, plan):
    _grow(plan, units, users["agri"], PAGE_SIZE + 3, review=ProgressReport.Review.PENDING)
    client.force_login(users["supervisor"])
    url = reverse("plans:review_queue")
    pending = ProgressReport.objects.filter(review=ProgressReport.Review.PENDING).count()
    for page, number in (("999", 2), ("abc", 1), ("-1", 2)):
        shown = _get(client, f"{url}?page={page}")[0].context["page"]
        assert (shown.paginator.num_pages, shown.number) == (2, number), page
    assert len(_get(client, f"{url}?page=999")[0].context["page"].object_list) == pending - PAGE_SIZE


def test_unit_page_is_paginated_and_answers_bad_input(client, users, units, plan):
    _grow(plan, units, users["agri"], PAGE_SIZE + 5)
    client.force_login(users["agri"])
    url = reverse("plans:my_unit")
    led = Target.objects.reportable_by(users["agri"])
    first, _n = _get(client, url)
    assert len(first.context["targets"]) == PAGE_SIZE
    assert first.context["page"].paginator.count == led.count()
    last, _n = _get(client, url + "?page=999")
    assert last.context["page"].number == last.context["page"].paginator.num_pages == 2
    unknown, _n = _get(client, url + "?sort=drop_table")
    assert [r["target"].pk for r in unknown.context["targets"]] == [r["target"].pk for r in first.context["targets"]]
    wrong, _n = _get(client, url + "?status=purple")
    assert "状态筛选“purple”不是有效的状态" in wrong.content.decode()
    assert wrong.context["page"].paginator.count == led.count()


def test_unit_page_filters_and_sorts_on_the_stored_light(client, users, units, plan):
    _grow(plan, units, users["agri"], 20)
    client.force_login(users["agri"])
    url = reverse("plans:my_unit")
    red, _n = _get(client, url + "?status=red")
    shown = [r["target"] for r in red.context["targets"]]
    assert shown and {t.pk for t in shown} == set(
        Target.objects.reportable_by(users["agri"]).filter(status="red").values_list("pk", flat=True))
    assert {r["ev"].status.value for r in red.context["targets"]} == {"red"}
    ranked, _n = _get(client, url + "?sort=-completion")
    completions = [r["target"].completion for r in ranked.context["targets"]]
    assert completions == sorted(completions, key=lambda c: -1 if c is None else c, reverse=True)


def test_unit_page_work_does_not_grow_with_its_targets(client, users, units, plan):
    client.force_login(users["agri"])
    url = reverse("plans:my_unit") + "?status=red"
    _grow(plan, units, users["agri"], CARD_SIZE + 5)  # the red/yellow card cut already: it counts its whole
    _get(client, url)
    _r, small = _get(client, url)
    _grow(plan, units, users["agri"], PAGE_SIZE + 20, start=100)
    _get(client, url)
    large, queries = _get(client, url)
    assert queries == small
    assert len(large.context["targets"]) <= PAGE_SIZE


def test_the_pending_review_badge_is_one_indexed_count(users, units, plan):
    from yuanqu.plans.selectors import pending_review_count

    _grow(plan, units, users["agri"], 30)  # accepted: history the badge must not scan
    _grow(plan, units, users["agri"], 4, review=ProgressReport.Review.PENDING, start=100)
    expected = ProgressReport.objects.filter(review="pending").count()
    pending_review_count(users["supervisor"])  # the user's roles, read once per request
    with CaptureQueriesContext(connection) as ctx:
        assert pending_review_count(users["supervisor"]) == expected == 4
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: show the index is usable
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan_text = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert "report_review_idx" in plan_text, plan_text
    if connection.vendor == "sqlite":  # and no pass over every target (a list of their ids) per page
        assert "SCAN" not in plan_text, plan_text
