"""The visits list's .xlsx export (scoped like the page, flat queries) and the requests' reminders
for `yuanqu remind`: due soon and overdue, to the assigned unit's handlers, once per due date."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from yuanqu.core.models import Notification
from yuanqu.core.reminders import SOURCES
from yuanqu.visits import reminders, services

from .conftest import D


def _rows(response) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


@pytest.fixture
def visits(zone, firms):
    return [services.visit_create(actor=zone[who], data={"enterprise": firms[n].pk, "visited_on": D(2026, 9, n + 1),
                                                         "visitors": f"{who}-走访人", "findings": "正常"})
            for n, who in ((0, "visitor"), (1, "economy"))]


@pytest.mark.parametrize(("role", "seen"), [("economy", {"visitor", "economy"}), ("leader", {"visitor", "economy"}),
                                            ("visitor", {"visitor"}), ("invest", set())])
def test_the_visits_export_has_the_pages_rows(client, zone, visits, role, seen):
    client.force_login(zone[role])
    response = client.get("/visits/export.xlsx")
    assert response.status_code == 200
    cells = " ".join(str(c) for row in _rows(response) for c in row)
    assert {w for w in ("visitor", "economy") if f"{w}-走访人" in cells} == seen
    assert "走访日期" in cells and "导出日期" in cells
    filtered = " ".join(str(c) for row in _rows(client.get("/visits/export.xlsx?q=economy-")) for c in row)
    assert ("visitor-走访人" in filtered) is False


def test_the_visits_export_is_refused_to_those_who_read_no_visits(client, zone, visits):
    client.force_login(zone["nounit"])
    assert client.get("/visits/export.xlsx").status_code == 403


def test_the_visits_export_queries_stay_flat(client, zone, firms):
    client.force_login(zone["economy"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/visits/export.xlsx").status_code == 200
        return len(ctx)

    for _ in range(3):
        services.visit_create(actor=zone["visitor"], data={"enterprise": firms[0].pk, "visited_on": D(2026, 9, 1),
                                                           "visitors": "甲"})
    small = count()
    for _ in range(6):
        services.visit_create(actor=zone["visitor"], data={"enterprise": firms[1].pk, "visited_on": D(2026, 9, 2),
                                                           "visitors": "乙"})
    assert count() == small


def _keys(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user, key__startswith="visits:").values_list("key", flat=True))


def test_unanswered_requests_remind_the_assigned_units_handlers_before_and_after_the_due_date(zone, make_request):
    assert "visits" in SOURCES
    soon = make_request(unit="invest", received_on=D(2026, 9, 1))
    late = make_request(unit="invest", received_on=D(2026, 6, 1))
    answered = make_request(unit="invest", received_on=D(2026, 6, 2))
    for action, comment in (("accept", ""), ("handle", ""), ("reply", "已解决")):
        answered = services.request_step(actor=zone["invest"], request=answered, action=action, comment=comment)
    today = soon.due_on - dt.timedelta(days=2)
    result = reminders.send_reminders(today=today, days_ahead=3)
    assert (result["due"].created, result["overdue"].created) == (1, 1)
    assert _keys(zone["invest"]) == {f"visits:request:{soon.pk}:due:{soon.due_on:%Y-%m-%d}",
                                     f"visits:request:{late.pk}:overdue:{late.due_on:%Y-%m-%d}"}
    notice = Notification.objects.get(key__contains=f":{late.pk}:overdue")
    assert "已逾期" in notice.title and notice.url == f"/visits/requests/{late.pk}/"
    assert not _keys(zone["agri"]) and not _keys(zone["economy"])
    # a rerun is silent; past the due date the soon one reminds again, as overdue
    again = reminders.send_reminders(today=today, days_ahead=3)
    assert (again["due"].created, again["overdue"].created, again["overdue"].skipped) == (0, 0, 1)
    later = reminders.send_reminders(today=soon.due_on + dt.timedelta(days=1), days_ahead=3)
    assert later["overdue"].created == 1


def test_a_village_without_its_own_handler_is_reminded_through_the_unit_above(zone, units, make_request):
    request = make_request(unit="area", received_on=D(2026, 6, 1))  # 三和片区: no account of its own
    reminders.send_reminders(today=D(2026, 9, 15))
    assert _keys(zone["agri"]) == {f"visits:request:{request.pk}:overdue:{request.due_on:%Y-%m-%d}"}
