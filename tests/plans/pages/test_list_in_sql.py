"""The target list reads the stored lights in the database: filtered, sorted and paginated there,
its work per page bounded by the page (not the plan), and bad input answered, never a 500."""

import datetime as dt
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_target
from yuanqu.plans.models import ProgressReport, Target
from yuanqu.plans.views import PAGE_SIZE


def _grow(plan, units, user, n: int, start: int = 0) -> None:
    section = plan.sections.first()
    for i in range(start, start + n):
        t = make_target(plan, section, units["agri"], f"批量目标{i:04d}")
        ProgressReport.objects.create(target=t, period=dt.date(plan.year, 8, 1), value=Decimal(i % 100),
                                      narrative="进展", submitted_by=user, review=ProgressReport.Review.ACCEPTED)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Reads of whole target rows (their titles) not cut to a page: by LIMIT, or by the page's keys
    # (core.pagination loads a page's rows by their ids).
    rows_read = sum(1 for q in ctx.captured_queries if '"plans_target"."title"' in q["sql"]
                    and "LIMIT" not in q["sql"] and not re.search(r'"plans_target"\."id" IN \(\d', q["sql"]))
    return response, len(ctx.captured_queries), rows_read


def test_status_filter_and_sort_are_in_the_database_and_match_the_engine(client, users, units, plan):
    _grow(plan, units, users["agri"], 30)
    client.force_login(users["supervisor"])
    url = reverse("plans:target_list") + f"?plan={plan.pk}&status=red"
    response, _n, _rows = _get(client, url)
    shown = [r.pk for r in response.context["page"].object_list]
    red = {t.pk for t in Target.objects.filter(plan=plan, status="red")}
    assert shown and set(shown) <= red
    # A red target here is one the engine calls red (values 0..29 of 100 against 70.7%).
    from yuanqu.plans.selectors import evaluate_targets

    evaluations = evaluate_targets(Target.objects.filter(pk__in=shown).select_related("plan"), dt.date(2026, 9, 15))
    assert {e.status.value for e in evaluations.values()} == {"red"}

    response, _n, _rows = _get(client, reverse("plans:target_list") + f"?plan={plan.pk}&sort=-completion")
    completions = [r.completion for r in response.context["page"].object_list]
    assert completions == sorted(completions, key=lambda c: -1 if c is None else c, reverse=True)


def test_bad_input_is_answered_not_refused(client, users, units, plan):
    _grow(plan, units, users["agri"], PAGE_SIZE + 5)
    client.force_login(users["supervisor"])
    base = reverse("plans:target_list") + f"?plan={plan.pk}"
    last, _n, _rows = _get(client, base + "&page=999")
    assert last.context["page"].number == last.context["page"].paginator.num_pages == 2
    default, _n, _rows = _get(client, base)
    unknown, _n, _rows = _get(client, base + "&sort=drop_table")
    assert [t.pk for t in unknown.context["page"]] == [t.pk for t in default.context["page"]]
    wrong, _n, _rows = _get(client, base + "&status=purple")
    assert "不是有效的状态" in wrong.content.decode()
    assert wrong.context["page"].paginator.count == plan.targets.count()


def test_work_per_page_does_not_grow_with_the_plan(client, users, units, plan):
    client.force_login(users["supervisor"])
    url = reverse("plans:target_list") + f"?plan={plan.pk}&status=red"
    _grow(plan, units, users["agri"], 5)
    _get(client, url)
    small = _get(client, url)
    _grow(plan, units, users["agri"], PAGE_SIZE + 20, start=100)
    _get(client, url)  # any stale lights brought up to date (none: the writes kept them)
    large = _get(client, url)
    assert small[1] == large[1]  # queries
    assert small[2] == large[2] == 0  # no unsliced read of the targets
    assert len(large[0].context["page"].object_list) <= PAGE_SIZE
