"""Routing rules, the negative list, time limits (hours, working days, calendar days) and escalation
a level up when a limit is missed; overdue counts include events still open past their limit."""

import datetime as dt

import pytest
from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import Notification
from yuanqu.grid import reminders, selectors, services
from yuanqu.grid.models import EventStep, GridEvent, RoutingRule, SlaRule

from .conftest import at, walk

D = dt.date


def local(value):
    return timezone.localtime(value).replace(tzinfo=None)


# ---------------------------------------------------------------- routing


def test_the_nearest_category_then_the_nearest_place_wins(zone, grids, cats, more_units):
    u = more_units
    save = services.routing_rule_save
    save(actor=None, rule=None, data={"category": cats["city"], "unit": u["build"]})
    save(actor=None, rule=None, data={"category": cats["city"], "area": u["area"], "unit": u["agri"]})
    save(actor=None, rule=None, data={"category": cats["road"], "unit": u["invest"], "co_units": [u["build"]]})
    save(actor=None, rule=None, data={"category": cats["road"], "grid": grids["G2"], "unit": u["committee"]})
    road, stall = cats["road"], cats["street_stall"]
    assert services.route(road, grids["G1"]).unit == u["invest"]  # its own category before its class
    assert services.route(road, grids["G2"]).unit == u["committee"]  # a grid's rule before anywhere
    assert services.route(stall, grids["G1"]).unit == u["agri"]  # the class's rule for the area
    assert services.route(cats["garbage"], grids["G1"]) is None


def test_a_rule_may_hand_small_matters_to_the_grids_own_village_or_community(zone, grids, cats, more_units,
                                                                             make_event):
    services.routing_rule_save(actor=None, rule=None, data={"category": cats["garbage"], "own_unit": True})
    assert services.route(cats["garbage"], grids["G3"]).unit_for(grids["G3"]) == more_units["community"]
    event = walk(make_event(category="garbage"), ["accept", "dispatch"], zone["centre"])
    assert event.assigned_unit == more_units["village"]
    with pytest.raises(ApplicationError) as refused:  # an excluded matter may not be so handed
        services.routing_rule_save(actor=None, rule=None, data={"category": cats["crime"], "own_unit": True})
    assert refused.value.field == "own_unit"


def test_dispatch_without_a_unit_follows_the_rule_with_its_co_units_and_says_so(zone, grids, cats, more_units,
                                                                                make_event):
    u = more_units
    services.routing_rule_save(actor=None, rule=None, data={"category": cats["road"], "unit": u["build"],
                                                            "co_units": [u["invest"]]})
    event = walk(make_event(), ["accept", "dispatch"], zone["centre"])
    assert event.assigned_unit == u["build"] and list(event.co_units.all()) == [u["invest"]]
    step = EventStep.objects.get(grid_event=event, action="dispatch")
    assert step.comment == "分拨至建设局，协办：招商局（按分拨规则），处置时限3个工作日"


def test_dispatch_with_no_rule_and_no_unit_asks_for_one(zone, grids, make_event):
    event = services.event_step(actor=zone["centre"], event=make_event(category="garbage"), action="accept")
    with pytest.raises(ApplicationError) as refused:
        services.event_step(actor=zone["centre"], event=event, action="dispatch")
    assert refused.value.field == "unit" and "没有分拨规则" in refused.value.message
    assert GridEvent.objects.get(pk=event.pk).state == "accepted"


def test_the_negative_list_keeps_excluded_matters_from_the_grid_workers(zone, grids, cats, more_units, make_event):
    u = more_units
    # A rule sending an excluded matter to a village is refused when written …
    with pytest.raises(ApplicationError) as refused:
        services.routing_rule_save(actor=None, rule=None, data={"category": cats["demolition"], "unit": u["village"]})
    assert refused.value.field == "unit" and "负面清单" in refused.value.message
    assert not RoutingRule.objects.exists()
    # … and so is dispatching one to the grid's village or community by hand, even under an excluded class.
    event = services.event_step(actor=zone["centre"], event=make_event(category="demolition"), action="accept")
    for unit in (u["village"], u["community"]):
        with pytest.raises(ApplicationError, match="不能分拨给.*由网格员办理"):
            services.event_step(actor=zone["centre"], event=event, action="dispatch", unit=unit.pk)
    moved = services.event_step(actor=zone["centre"], event=event, action="dispatch", unit=u["build"].pk)
    assert moved.assigned_unit == u["build"]
    services.category_save(actor=None, category=cats["environment"], data={"negative_list": True})
    garbage = services.event_step(actor=zone["centre"], event=make_event(category="garbage"), action="accept")
    with pytest.raises(ApplicationError, match="负面清单"):
        services.event_step(actor=zone["centre"], event=garbage, action="dispatch", unit=u["village"].pk)


def test_a_co_unit_cannot_also_be_the_lead(zone, grids, more_units, make_event):
    event = services.event_step(actor=zone["centre"], event=make_event(), action="accept")
    with pytest.raises(ApplicationError) as refused:
        services.event_step(actor=zone["centre"], event=event, action="dispatch", unit=more_units["build"].pk,
                            co_units=[more_units["build"].pk])
    assert refused.value.field == "co_units"


# ---------------------------------------------------------------- time limits


@pytest.mark.parametrize("category,severity,dispatched,sign,due,limit", [
    ("road", "normal", at(D(2026, 9, 15)), "2026-09-16 23:59:59", "2026-09-18 23:59:59", "3个工作日"),
    ("road", "serious", at(D(2026, 9, 15)), "2026-09-16 23:59:59", "2026-09-17 23:59:59", "2个工作日"),
    ("road", "critical", at(D(2026, 9, 15)), "2026-09-15 11:00:00", "2026-09-16 09:00:00", "24小时"),
    ("dispute", "normal", at(D(2026, 9, 15)), "2026-09-16 23:59:59", "2026-09-22 23:59:59", "7天"),
    # The severity's rule for all categories loses to the category's own: 矛盾纠纷 stays 7 days.
    ("dispute", "serious", at(D(2026, 9, 15)), "2026-09-16 23:59:59", "2026-09-22 23:59:59", "7天"),
    # Across National Day: 10-01…10-07 off, Saturday 10-10 worked.
    ("road", "normal", at(D(2026, 9, 30), 16), "2026-10-08 23:59:59", "2026-10-10 23:59:59", "3个工作日"),
    # Friday evening: Sunday 09-20 is National Day's make-up working day.
    ("elderly", "normal", at(D(2026, 9, 18), 17), "2026-09-20 23:59:59", "2026-09-20 23:59:59", "1个工作日"),
])
def test_limits_by_category_and_severity_in_hours_working_or_calendar_days(zone, grids, more_units, make_event,
                                                                           category, severity, dispatched, sign,
                                                                           due, limit):
    event = services.event_step(actor=None, event=make_event(category=category, severity=severity), action="accept")
    event = services.event_step(actor=None, event=event, action="dispatch", unit=more_units["build"].pk,
                                at=dispatched)
    assert f"{local(event.sign_due_at):%Y-%m-%d %H:%M:%S}" == sign
    assert f"{local(event.due_at):%Y-%m-%d %H:%M:%S}" == due
    assert event.limit == limit


def test_a_rule_edited_later_moves_no_promise_already_given(zone, grids, more_units, make_event):
    event = services.event_step(actor=None, event=make_event(), action="accept")
    event = services.event_step(actor=None, event=event, action="dispatch", unit=more_units["build"].pk,
                                at=at(D(2026, 9, 15)))
    rule = SlaRule.objects.get(category=None, severity="", stage="resolve")
    services.sla_rule_save(actor=None, rule=rule, data={"amount": 10})
    assert GridEvent.objects.get(pk=event.pk).due_at == event.due_at
    assert SlaRule.objects.get(pk=rule.pk).version == 2


# ---------------------------------------------------------------- overdue and escalation


def _dispatched(make_event, category, unit, when, **data):
    event = services.event_step(actor=None, event=make_event(category=category, when=when, **data), action="accept",
                                at=when)
    return services.event_step(actor=None, event=event, action="dispatch", unit=unit.pk, at=when)


def test_overdue_counts_include_events_still_open_past_their_limit(zone, grids, more_units, make_event, clock):
    u = more_units
    early = at(D(2026, 9, 1))  # due 09-04 (3 working days)
    open_late = _dispatched(make_event, "road", u["build"], early)
    answered_late = _dispatched(make_event, "road", u["build"], early)
    services.event_step(actor=None, event=answered_late, action="sign", at=at(D(2026, 9, 2)))
    services.event_step(actor=None, event=answered_late, action="handle", at=at(D(2026, 9, 2)))
    services.event_step(actor=None, event=answered_late, action="feedback", comment="修好", at=at(D(2026, 9, 8)))
    on_time = _dispatched(make_event, "road", u["build"], early)
    walk(on_time, ["sign", "handle"], None)
    services.event_step(actor=None, event=on_time, action="feedback", comment="修好", at=at(D(2026, 9, 3)))
    not_yet = _dispatched(make_event, "road", u["build"], at(D(2026, 9, 14)))  # due 09-17

    now = at(D(2026, 9, 15), 10)
    overdue = set(GridEvent.objects.filter(GridEvent.overdue_q(now)).values_list("pk", flat=True))
    assert overdue == {open_late.pk, answered_late.pk}
    assert GridEvent.objects.get(pk=open_late.pk).is_overdue(now) and not GridEvent.objects.get(pk=not_yet.pk).is_overdue(now)
    [build] = selectors.unit_figures(zone["leader"], now)
    assert (build.total, build.answered, build.on_time, build.open_overdue) == (4, 2, 1, 1)
    [row] = [r for r in selectors.open_by_class(zone["leader"], now) if r.category.code == "city"]
    assert (row.open, row.overdue) == (4, 1)  # answered ones wait for verification: open, not overdue


def test_a_missed_limit_escalates_one_level_a_day_up_to_the_top(zone, grids, more_units, make_event, clock):
    u = more_units
    event = _dispatched(make_event, "garbage", u["village"], at(D(2026, 9, 1)))  # due 09-04, in 三南村
    services.event_step(actor=None, event=event, action="sign", at=at(D(2026, 9, 1), 10))
    clock.set_today(D(2026, 9, 15))
    tallies = reminders.send(today=D(2026, 9, 15))
    event.refresh_from_db()
    assert (event.escalation_level, event.escalated_to) == (1, u["area"])
    # 三和片区 has no account: its notice goes to the nearest unit above with one (农业农村局's reporter).
    assert Notification.objects.filter(recipient=zone["agri"], key=f"grid:escalate:{event.pk}:1").exists()
    assert tallies["escalated"].created == 1
    again = reminders.send(today=D(2026, 9, 15))  # a rerun the same day changes nothing
    assert again["escalated"].created == 0 and GridEvent.objects.get(pk=event.pk).escalation_level == 1
    for day, unit in ((16, u["agri"]), (17, u["committee"])):
        clock.set_today(D(2026, 9, day))
        reminders.send(today=D(2026, 9, day))
        event.refresh_from_db()
        assert event.escalated_to == unit
    # The top: the command centre hears of it; no level beyond.
    assert Notification.objects.filter(recipient=zone["centre"], key=f"grid:escalate:{event.pk}:3").exists()
    clock.set_today(D(2026, 9, 18))
    reminders.send(today=D(2026, 9, 18))
    assert GridEvent.objects.get(pk=event.pk).escalation_level == 3
    steps = list(EventStep.objects.filter(grid_event=event, action="escalate").values_list("comment", flat=True))
    assert steps == ["超过反馈时限，第1次升级至三和片区", "超过反馈时限，第2次升级至农业农村局",
                     "超过反馈时限，第3次升级至管委会"]


def test_an_unsigned_event_escalates_once_its_signing_limit_passes(zone, grids, more_units, make_event):
    event = _dispatched(make_event, "road", more_units["build"], at(D(2026, 9, 14), 9), severity="critical")
    # Signing within 2 hours: missed by 12:00; the 24-hour answer limit is not.
    [escalated] = services.overdue_to_escalate(at(D(2026, 9, 14), 12))
    services.event_escalate(escalated, now=at(D(2026, 9, 14), 12))
    event.refresh_from_db()
    assert event.escalated_to == more_units["committee"]
    assert EventStep.objects.get(grid_event=event, action="escalate").comment.startswith("超过签收时限")


def test_events_within_their_limit_or_answered_do_not_escalate(zone, grids, more_units, make_event):
    event = _dispatched(make_event, "road", more_units["build"], at(D(2026, 9, 14)))
    assert services.overdue_to_escalate(at(D(2026, 9, 15))) == []
    with pytest.raises(ApplicationError, match="未超过时限"):
        services.event_escalate(event, now=at(D(2026, 9, 15)))
