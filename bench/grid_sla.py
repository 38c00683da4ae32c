"""On-time figures of grid events per handling unit, at a tenth of N and at N events (default 200,000).

    .venv/bin/python bench/grid_sla.py [--events 200000]

Builds a throwaway SQLite database (a temporary data folder; set BENCH_DATABASE_URL to use a
PostgreSQL database you made for it) with a small zone (departments, villages, grids) and N events
whose time limits and answers are stored as the services store them (written in bulk, 10,000 rows
a transaction, so memory stays flat: the bench measures the reading side), then times side by side:

- the platform: `selectors.unit_figures` (events, answered, on time, open past the limit, closed,
  satisfaction per unit), counting its queries — the count must not grow with the events;
- a bare SQL aggregate of the same counts (events, answered, on time, open past the limit per
  unit), written by hand.

Both must agree on the counts.
"""

import argparse
import datetime as dt
import time

import _django

_django.start(**_django.bench_database())

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

YEAR = 2026
NOW = timezone.make_aware(dt.datetime(YEAR, 11, 30, 12))
BARE_SQL = """
SELECT assigned_unit_id, COUNT(*),
       SUM(CASE WHEN fed_back_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN fed_back_at IS NOT NULL AND fed_back_at <= due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN state IN ('dispatched', 'signed', 'handling') AND due_at < %s THEN 1 ELSE 0 END)
FROM grid_gridevent
WHERE assigned_unit_id IS NOT NULL AND reported_at >= %s AND reported_at < %s
GROUP BY assigned_unit_id
"""


def setup():
    from yuanqu.grid import services
    from yuanqu.org.models import OrgUnit

    leader = _django.migrated_with_leader()
    top = OrgUnit.objects.create(name="管委会", kind="committee")
    departments = [OrgUnit.objects.create(name=f"部门{i}", parent=top) for i in range(8)]
    area = OrgUnit.objects.create(name="片区", kind="area", parent=top)
    villages = [OrgUnit.objects.create(name=f"村{i}", kind="village", parent=area) for i in range(10)]
    grids = [services.grid_save(actor=None, grid=None, data={"code": f"G{v.pk}-{n}", "name": f"{v.name}网格{n}",
                                                             "unit": v}) for v in villages for n in range(3)]
    return leader, departments + villages, grids


def add_events(units, grids, n: int, start: int) -> None:
    """N events over the year (the demo's bulk builder: chunks of 10,000 rows a transaction)."""
    from yuanqu.grid.demo import bulk_events

    bulk_events(grids=grids, units=units, count=n, start=start, first=timezone.make_aware(dt.datetime(YEAR, 1, 1, 8)),
                days=480_000 // (24 * 60), seed=start)


ROUNDS = 3


def measure(leader):
    """Each side ROUNDS times, alternating (a shared machine's load falls on both alike); the best
    time of each. The query count is the platform's in one call."""
    from yuanqu.grid import selectors
    from yuanqu.org.models import User

    user = User.objects.get(pk=leader.pk)
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(NOW), adapt(timezone.make_aware(dt.datetime(YEAR, 1, 1))),
              adapt(timezone.make_aware(dt.datetime(YEAR + 1, 1, 1)))]
    ours, bare_time = [], []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            rows = selectors.unit_figures(user, NOW, year=YEAR)
            ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, params)
            bare = {unit: (n, int(a), int(o), int(late)) for unit, n, a, o, late in cursor.fetchall()}
        bare_time.append(time.perf_counter() - start)
    got = {r.who.pk: (r.total, r.answered, r.on_time, r.open_overdue) for r in rows}
    assert got == bare, (got, bare)
    return len(queries), min(ours), min(bare_time), sum(v[0] for v in bare.values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    leader, units, grids = setup()
    small = args.events // 10
    add_events(units, grids, small, 0)
    q_small, ours_small, bare_small, n_small = measure(leader)
    add_events(units, grids, args.events - small, small)
    q_big, ours_big, bare_big, n_big = measure(leader)
    print(f"grid on-time figures per unit ({connection.vendor}, best of {ROUNDS} alternating runs each):")
    print(f"  {small:>7} events ({n_small} dispatched this year): {q_small} queries, {ours_small * 1000:.0f} ms; "
          f"bare SQL {bare_small * 1000:.0f} ms")
    print(f"  {args.events:>7} events ({n_big} dispatched this year): {q_big} queries, {ours_big * 1000:.0f} ms; "
          f"bare SQL {bare_big * 1000:.0f} ms; ratio {ours_big / bare_big:.2f}")
    assert q_small == q_big, "the query count grew with the events"


if __name__ == "__main__":
    main()
