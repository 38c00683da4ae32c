"""The selector the assessment engine reads: per lead unit, on a hand-built year."""

import datetime as dt

import pytest

from yuanqu.supervision import selectors, services
from yuanqu.supervision.models import State

D = dt.date


@pytest.fixture
def season(users, units):
    """Items of 2025 for 农业农村局 and 招商局, each walked through its story on given days."""
    office = users["supervisor"]

    def item(lead, created, deadline, steps=()):
        made = services.item_create(
            actor=office, today=created,
            data={"title": "事项", "source_kind": "meeting_decision", "source_text": "纪要", "lead_unit": units[lead],
                  "deadline": deadline},
        )
        for action, day in steps:
            who = services.TRANSITIONS[action].may
            actor = office if who is services.may_supervise else users[lead]
            comment = "结果" if action in {"feedback", "return"} else ""
            services.transition(actor=actor, item=made, action=action, comment=comment, today=day)
        made.refresh_from_db()
        return made

    a, s, f, r, c, u = "assign", "start", "feedback", "return", "close", "urge"
    items = {
        # on time: closed ten days before the deadline
        "a1": item("agri", D(2025, 3, 1), D(2025, 4, 30),
                   [(a, D(2025, 3, 1)), (s, D(2025, 3, 2)), (f, D(2025, 4, 18)), (c, D(2025, 4, 20))]),
        # closed late, urged twice, returned once
        "a2": item("agri", D(2025, 3, 1), D(2025, 4, 30),
                   [(a, D(2025, 3, 1)), (u, D(2025, 4, 1)), (s, D(2025, 4, 2)), (u, D(2025, 4, 25)),
                    (f, D(2025, 4, 28)), (r, D(2025, 4, 29)), (f, D(2025, 5, 8)), (c, D(2025, 5, 10))]),
        # open past its deadline, returned once
        "a3": item("agri", D(2025, 5, 1), D(2025, 6, 15),
                   [(a, D(2025, 5, 1)), (s, D(2025, 5, 2)), (f, D(2025, 6, 1)), (r, D(2025, 6, 3))]),
        # not yet due, urged once
        "a4": item("agri", D(2025, 6, 1), D(2025, 7, 31), [(a, D(2025, 6, 1)), (u, D(2025, 6, 20))]),
        # past its deadline on 6-30; closed only after that day
        "a5": item("agri", D(2025, 5, 1), D(2025, 6, 20),
                   [(a, D(2025, 5, 1)), (s, D(2025, 5, 2)), (f, D(2025, 7, 1)), (c, D(2025, 7, 5))]),
        # closed on the deadline day itself
        "b1": item("invest", D(2025, 2, 1), D(2025, 3, 1),
                   [(a, D(2025, 2, 1)), (s, D(2025, 2, 2)), (f, D(2025, 3, 1)), (c, D(2025, 3, 1))]),
        "b2": item("invest", D(2025, 6, 1), D(2025, 12, 31)),
        "deleted": item("invest", D(2025, 6, 1), D(2025, 6, 2)),
        "last_year": item("agri", D(2024, 11, 1), D(2024, 12, 1), [(a, D(2024, 11, 1))]),
    }
    services.item_delete(actor=office, item=items["deleted"])
    assert items["a3"].state == State.IN_PROGRESS and items["a5"].state == State.CLOSED
    return items


def test_stats_per_lead_unit(season, units, django_assert_num_queries):
    with django_assert_num_queries(2):
        stats = selectors.unit_supervision_stats(year=2025, on=D(2025, 6, 30))
    assert stats == {
        units["agri"].pk: {"items": 5, "overdue": 3, "urges": 3, "closed_on_time": 1, "returned": 2},
        units["invest"].pk: {"items": 2, "overdue": 0, "urges": 0, "closed_on_time": 1, "returned": 0},
    }


def test_stats_read_as_of_the_given_day(season, units):
    early = selectors.unit_supervision_stats(year=2025, on=D(2025, 4, 25))
    # On 4-25 nothing of 农业农村局 was late yet, only a1 was closed, a2 had been urged twice
    # (4-1 and that very day) and nothing had been returned yet (a2's return came on 4-29).
    assert early[units["agri"].pk] == {
        "items": 5, "overdue": 0, "urges": 2, "closed_on_time": 1, "returned": 0
    }
    late = selectors.unit_supervision_stats(year=2025, on=D(2025, 12, 31))
    # a4 is now past due and still open; a5 was closed after its deadline.
    assert late[units["agri"].pk]["overdue"] == 4 and late[units["agri"].pk]["closed_on_time"] == 1
    assert selectors.unit_supervision_stats(year=2024, on=D(2024, 12, 31)) == {
        units["agri"].pk: {"items": 1, "overdue": 1, "urges": 0, "closed_on_time": 0, "returned": 0}
    }
    assert selectors.unit_supervision_stats(year=2023, on=D(2023, 12, 31)) == {}


@pytest.mark.parametrize(
    ("on", "urges", "returned"),
    [
        (D(2025, 3, 31), 0, 0),
        (D(2025, 4, 1), 1, 0),  # a2's first urge counts on its own day
        (D(2025, 4, 24), 1, 0),  # a2's second urge (4-25) is after the cut-off
        (D(2025, 4, 28), 2, 0),  # a2's return (4-29) is after the cut-off
        (D(2025, 4, 29), 2, 1),
        (D(2025, 6, 2), 2, 1),  # a3's return (6-3) is after the cut-off
        (D(2025, 6, 19), 2, 2),  # a4's urge (6-20) is after the cut-off
        (D(2025, 6, 20), 3, 2),
    ],
)
def test_urges_and_returns_after_the_cut_off_do_not_count(season, units, on, urges, returned):
    stats = selectors.unit_supervision_stats(year=2025, on=on)[units["agri"].pk]
    assert (stats["urges"], stats["returned"]) == (urges, returned)


def test_overdue_items_is_scoped(season, users):
    on = D(2025, 6, 30)
    # Open items only, whatever their year: last year's unfinished item is still overdue.
    assert {i.pk for i in selectors.overdue_items(on=on, user=users["leader"])} == {
        season["a3"].pk, season["last_year"].pk
    }
    assert list(selectors.overdue_items(on=on, user=users["invest"])) == []
    assert [i.pk for i in selectors.overdue_items(on=D(2025, 8, 1), user=users["agri"])] == [
        season["last_year"].pk, season["a3"].pk, season["a4"].pk
    ]
