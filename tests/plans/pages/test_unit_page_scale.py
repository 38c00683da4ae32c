"""A unit's page at a city's scale: every card is cut in the database and names its whole count; the
led table filters to what is due this month; the page's work does not grow with the unit's targets."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_target
from yuanqu.plans.models import ProgressReport, Target
from yuanqu.plans.views import CARD_SIZE, PAGE_SIZE

AUGUST = dt.date(2026, 8, 1)  # the month due on the tests' day, 2026-09-15


def _grow(plan, units, users, n: int, *, start: int = 0, value: int = 1, filed: bool = False) -> list[Target]:
    """n targets of 招商局 with 100 to reach; `value` accepted in August if `filed`, else no report."""
    section = plan.sections.first()
    made = []
    for i in range(start, start + n):
        t = make_target(plan, section, units["invest"], f"单位目标{i:04d}")
        if filed:
            ProgressReport.objects.create(target=t, period=AUGUST, value=Decimal(value), narrative="进展",
                                          submitted_by=users["invest"], review=ProgressReport.Review.ACCEPTED)
        made.append(t)
    return made


def _get(client, url=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url or reverse("plans:my_unit"))
    assert response.status_code == 200
    unsliced = sum(1 for q in ctx.captured_queries if '"plans_target"."title"' in q["sql"]
                   and "LIMIT" not in q["sql"] and '"plans_target"."id" IN (' not in q["sql"].replace("IN (SELECT", ""))
    return response, len(ctx.captured_queries), unsliced


def test_cards_are_cut_and_name_their_whole_count(client, users, units, plan):
    client.force_login(users["invest"])
    due_before = _get(client)[0].context["pending_count"]
    _grow(plan, units, users, CARD_SIZE + 5)  # nothing filed: due, and red against 序时进度
    response, _n, _u = _get(client)
    context = response.context
    assert context["pending_count"] == due_before + CARD_SIZE + 5
    assert len(context["pending"]) == CARD_SIZE
    assert context["warned_count"] == Target.objects.filter(
        lead_unit=units["invest"], status__in=["red", "yellow"], deleted_at=None).count() > CARD_SIZE
    assert len(context["warned"]) == CARD_SIZE
    html = response.content.decode()
    assert f"共 {context['pending_count']} 项待报" in html and "?due=1#led" in html


def test_the_led_table_filters_to_what_is_due_and_not_filed(client, users, units, plan):
    client.force_login(users["invest"])
    unfiled = _grow(plan, units, users, 3)
    filed = _grow(plan, units, users, 2, start=10, filed=True)
    response, _n, _u = _get(client, reverse("plans:my_unit") + "?due=1")
    shown = {row["target"].pk for row in response.context["targets"]}
    assert {t.pk for t in unfiled} <= shown
    assert not shown & {t.pk for t in filed}
    assert shown == {p["target"].pk for p in response.context["pending"]}  # the card and the filter agree
    assert "仅本月待报" in response.content.decode()


def test_the_page_does_not_grow_with_the_units_targets(client, users, units, plan):
    client.force_login(users["invest"])
    _grow(plan, units, users, CARD_SIZE + 1)  # every card cut: each counts its whole (one query)
    _get(client)
    _r, small, small_unsliced = _get(client)
    _grow(plan, units, users, PAGE_SIZE * 2, start=100)
    _get(client)
    response, large, large_unsliced = _get(client)
    assert small == large
    assert small_unsliced == large_unsliced == 0
    assert len(response.context["targets"]) == PAGE_SIZE


def test_the_led_table_filters_to_returned_reports_and_assisting_targets_page(client, users, units, plan):
    client.force_login(users["invest"])
    returned, accepted = _grow(plan, units, users, 2, start=300)
    for t, review in ((returned, "returned"), (accepted, "accepted")):
        ProgressReport.objects.create(target=t, period=AUGUST, value=Decimal(5), narrative="进展",
                                      submitted_by=users["invest"], review=review)
    response, _n, _u = _get(client, reverse("plans:my_unit") + "?returned=1")
    assert {row["target"].pk for row in response.context["targets"]} == {returned.pk}
    assert "仅报告被退回的" in response.content.decode()
    # The targets it cooperates on are paged too (a unit may assist hundreds).
    section = plan.sections.first()
    for i in range(PAGE_SIZE + 3):
        make_target(plan, section, units["agri"], f"配合{i:03d}").cooperating_units.add(units["invest"])
    second, _n, _u = _get(client, reverse("plans:my_unit") + "?assisting_page=2")
    assert second.context["assisting_page"].number == 2
    assert len(second.context["assisting"]) == second.context["assisting_page"].paginator.count - PAGE_SIZE
    assert "assisting_page=1" in second.content.decode()
