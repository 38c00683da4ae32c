"""Escalation: the daily reminders chase 重大 hazards still open and hazards open past their
deadline (overdue counts include open items past due, not only the ones closed late), once each;
提请督办 raises a 督办单 through core.handoffs for a 重大 or overdue hazard, once."""

import pytest

from yuanqu.core.errors import ApplicationError, ConflictError
from yuanqu.core.models import Notification
from yuanqu.core.reminders import SOURCES
from yuanqu.inspections import reminders, selectors
from yuanqu.inspections.models import Hazard
from yuanqu.supervision.models import SupervisionItem

from .conftest import D, step


def _send(today):
    return SOURCES["inspections"].send(today=today, days_ahead=3)


def test_a_major_hazard_is_escalated_once_to_the_responsible_unit_and_the_office(zone, make_hazard, clock):
    hazard = make_hazard(level="major")
    make_hazard(level="general")
    tallies = _send(clock.today())
    notices = Notification.objects.filter(key=f"inspections:{hazard.pk}:major")
    # The unit's people, and whoever issues 督办单 (the 督查室, the administrator).
    assert {n.recipient.username for n in notices} == {"invest1", "super1", "admin1"}
    assert tallies["major"].created == 3 and tallies["overdue"].created == 0
    assert _send(clock.today())["major"].created == 0  # a rerun is silent


def test_a_missed_deadline_is_escalated_and_open_items_past_due_count_as_overdue(zone, make_hazard, clock):
    late = step(make_hazard(text="late"), "notify", zone["inspector"], deadline=D(2026, 9, 20))
    done_late = step(make_hazard(text="done late"), "notify", zone["inspector"], deadline=D(2026, 9, 16))
    on_time = step(make_hazard(text="on time"), "notify", zone["inspector"], deadline=D(2026, 9, 30))
    on_time = step(on_time, "report", zone["invest"], comment="ok")
    clock.set_today(D(2026, 9, 18))
    done_late = step(done_late, "report", zone["invest"], comment="晚了")
    clock.set_today(D(2026, 9, 25))
    major, overdue = reminders.escalations(clock.today())
    assert [h.pk for h in overdue] == [late.pk]  # reported rectified (late or not) is no longer chased
    tallies = _send(clock.today())
    assert tallies["overdue"].created == 3  # 招商局's reporter, the 督查室 and the administrator
    assert Notification.objects.filter(key=f"inspections:{late.pk}:overdue:2026-09-20").count() == 3
    # The overdue rule everywhere: open past due and rectified late both count; on time does not.
    assert set(Hazard.objects.filter(Hazard.overdue_q(clock.today())).values_list("pk", flat=True)) == {
        late.pk, done_late.pk}
    assert not on_time.is_overdue(clock.today()) and late.is_overdue(clock.today())
    tile = selectors.tile_figures(zone["leader"], clock.today())
    assert (tile.open, tile.major_open, tile.overdue_open) == (3, 0, 1)
    # A new deadline after a failed re-check that passes again reminds again.
    done_late = step(done_late, "fail", zone["inspector"], comment="没整改好", deadline=D(2026, 9, 28))
    clock.set_today(D(2026, 10, 1))
    _send(clock.today())
    assert Notification.objects.filter(key=f"inspections:{done_late.pk}:overdue:2026-09-28").exists()


def test_raising_a_major_hazard_to_a_supervision_item(zone, make_hazard, clock):
    hazard = make_hazard(level="major")
    hazard = step(hazard, "raise", zone["inspector"], supervision_deadline=D(2026, 10, 30), comment="挂牌督办")
    item = SupervisionItem.objects.get()
    assert hazard.supervision_item_id == item.pk and item.source_kind == "hazard"
    assert item.lead_unit_id == hazard.responsible_unit_id and f"/inspections/hazards/{hazard.pk}/" in item.source_url
    assert hazard.state == "found"  # the state is kept
    with pytest.raises(ConflictError):
        step(hazard, "raise", zone["inspector"], supervision_deadline=D(2026, 10, 30))


def test_a_general_hazard_is_raised_only_once_overdue_and_the_office_may_raise_it(zone, make_hazard, clock):
    hazard = step(make_hazard(), "notify", zone["inspector"], deadline=D(2026, 9, 20))
    with pytest.raises(ApplicationError) as caught:
        step(hazard, "raise", zone["supervisor"], supervision_deadline=D(2026, 10, 30))
    assert caught.value.message == "只有重大隐患或逾期未整改的隐患可以提请督办。"
    assert not SupervisionItem.objects.exists()
    with pytest.raises(ApplicationError) as caught:
        step(hazard, "raise", zone["supervisor"])
    assert caught.value.field == "supervision_deadline"
    clock.set_today(D(2026, 9, 21))
    step(hazard, "raise", zone["supervisor"], supervision_deadline=D(2026, 10, 30))
    assert SupervisionItem.objects.filter(source_kind="hazard").count() == 1


def test_the_cockpit_tile_is_scoped_to_the_viewer(client, zone, make_hazard):
    make_hazard(unit="invest", level="major")
    make_hazard(unit="village")
    client.force_login(zone["leader"])
    page = client.get("/cockpit/").content.decode()
    assert 'data-testid="tile-inspections"' in page
    assert 'data-testid="tile-open">2<' in page and 'data-testid="tile-major">1<' in page
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    for who, expected in (("invest", "1"), ("village", "1"), ("agri", "1")):
        request.user = zone[who]
        html = Template('{% load panels %}{% panels "cockpit.tiles" None %}').render(Context({"request": request}))
        assert f'data-testid="tile-open">{expected}<' in html, who
    request.user = zone["nounit"]
    assert "tile-inspections" not in Template('{% load panels %}{% panels "cockpit.tiles" None %}').render(
        Context({"request": request}))
