"""Performance per unit and per grid worker: on time, closure and satisfaction, ranked only with
the minimum sample; the metrics targets bind to; the cockpit tile scoped to the person looking."""

import datetime as dt

import pytest

from yuanqu.core.metrics import get_metric
from yuanqu.grid import selectors, services

from .conftest import at, walk

D = dt.date
INPUTS = {"feedback": {"comment": "已处置"}, "evaluate": {"satisfaction": 4}}


def _done(make_event, unit, *, actor, late=False, grid="G1"):
    event = make_event(actor=actor, grid=grid, when=at(D(2026, 9, 1)))
    event = services.event_step(actor=None, event=event, action="accept", at=at(D(2026, 9, 1)))
    event = services.event_step(actor=None, event=event, action="dispatch", unit=unit.pk, at=at(D(2026, 9, 1)))
    walk(event, ["sign", "handle"], None)
    event = services.event_step(actor=None, event=event, action="feedback", comment="已处置",
                                at=at(D(2026, 9, 10 if late else 2)))
    return walk(event, ["verify", "close", "evaluate"], None, **INPUTS)


@pytest.fixture
def sample(settings, zone, grids, more_units, make_event):
    settings.YUANQU_GRID_MIN_SAMPLE = 3
    u = more_units
    for late in (False, False, True):
        _done(make_event, u["build"], actor=zone["worker"], late=late)
    _done(make_event, u["invest"], actor=zone["worker2"], grid="G2")  # one only: not ranked
    _done(make_event, u["invest"], actor=zone["worker2"], grid="G2")


def test_units_are_ranked_only_with_the_minimum_sample(zone, sample, more_units):
    rows = selectors.unit_figures(zone["leader"], at(D(2026, 9, 15)), year=2026)
    assert [(str(r.who), r.rank) for r in rows] == [("建设局", 1), ("招商局", None)]
    build = rows[0]
    assert (build.total, build.answered, build.on_time, build.closed, build.satisfaction) == (3, 3, 2, 3, 4.0)
    assert round(build.on_time_share, 3) == 0.667 and build.closure_share == 1.0


def test_grid_workers_are_ranked_on_what_they_reported_with_the_minimum_sample(zone, sample):
    rows = selectors.worker_figures(zone["leader"], at(D(2026, 9, 15)), year=2026)
    assert [(r.who.username, r.rank, r.total, r.valid) for r in rows] == [("worker1", 1, 3, 3), ("worker2", None, 2, 2)]


def test_the_figures_are_scoped_to_the_reader(zone, sample):
    rows = selectors.unit_figures(zone["build"], at(D(2026, 9, 15)), year=2026)
    assert [str(r.who) for r in rows] == ["建设局"]


def test_the_metrics_read_the_on_time_and_closure_shares(zone, sample):
    on = D(2026, 9, 15)
    assert get_metric("grid.on_time_share").func([{"year": 2026}, {"year": 2025}], on) == [80, None]  # 4 of 5 answered within the limit
    assert get_metric("grid.closure_share").func([{"year": 2026}], on) == [100]
    assert get_metric("grid.open_overdue").func([{}], on) == [0]


def test_the_stats_page_marks_who_is_too_few_to_rank(client, zone, sample):
    client.force_login(zone["leader"])
    html = client.get("/grid/stats/?year=2026").content.decode()
    assert "样本不足" in html and "建设局" in html and "worker1" in html


def test_the_cockpit_tile_counts_open_and_overdue_by_class_for_the_person_looking(client, zone, grids, more_units,
                                                                                  make_event):
    old = make_event(when=at(D(2026, 9, 1)))
    services.event_step(actor=None, event=old, action="accept", at=at(D(2026, 9, 1)))
    services.event_step(actor=None, event=old, action="dispatch", unit=more_units["build"].pk, at=at(D(2026, 9, 1)))
    make_event(category="dispute")
    client.force_login(zone["leader"])
    html = client.get("/cockpit/").content.decode()
    assert 'data-testid="tile-grid"' in html and "城市管理" in html and "社会治安" in html
    assert "未结 2" in html and "逾期 1" in html
    # The 建设局's reporter reads only what is routed to it (the cockpit sends them elsewhere; the tag scopes).
    rows = selectors.open_by_class(zone["build"], services.now())
    assert [(r.category.code, r.open, r.overdue) for r in rows] == [("city", 1, 1)]
