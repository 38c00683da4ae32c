"""On-time figures of approval cases against a reform target, at 10,000 and 100,000 cases.

    .venv/bin/python bench/approvals.py [--cases 100000]

Builds a throwaway SQLite database (a temporary data folder; set BENCH_DATABASE_URL to use a
PostgreSQL database you made for it) with the 2330 target's three scenarios and N cases whose
working-day durations are stored as the services store them, then times side by side:

- the platform: `selectors.bundle_figures` (cases, on time, median, 90th percentile per scenario
  and per month), counting its queries — the count must not grow with the cases;
- a bare SQL aggregate of the same counts (cases and on time per scenario), written by hand.

Both must agree on the counts.
"""

import argparse
import datetime as dt
import random
import time
from decimal import Decimal

import _django

_django.start(**_django.bench_database())

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEAR = 2026
ON = dt.date(YEAR, 11, 30)
BARE_SQL = """
SELECT si.scenario_id, COUNT(*),
       SUM(CASE WHEN (CASE WHEN s.start_event = 'accepted' AND s.end_event = 'decided' THEN c.days_accepted_decided
                           WHEN s.start_event = 'accepted' THEN c.days_accepted_delivered
                           WHEN s.end_event = 'decided' THEN c.days_received_decided
                           ELSE c.days_received_delivered END) <= s.target_days THEN 1 ELSE 0 END)
FROM approvals_case c
JOIN approvals_scenario_items si ON si.serviceitem_id = c.item_id
JOIN approvals_scenario s ON s.id = si.scenario_id
WHERE s.bundle_id = %s
  AND (CASE WHEN s.start_event = 'accepted' AND s.end_event = 'decided' THEN c.days_accepted_decided
            WHEN s.start_event = 'accepted' THEN c.days_accepted_delivered
            WHEN s.end_event = 'decided' THEN c.days_received_decided
            ELSE c.days_received_delivered END) IS NOT NULL
  AND (CASE WHEN s.end_event = 'decided' THEN c.decided_on ELSE c.delivered_on END) BETWEEN %s AND %s
GROUP BY si.scenario_id
"""


def setup():
    from yuanqu.approvals import services

    leader = _django.migrated_with_leader()
    items = [services.item_create(actor=None, data={"code": f"B-{i}", "name": f"事项{i}", "statutory_days": 60,
                                                    "promised_days": p}) for i, p in enumerate([1, 1, 3, 3, 20, 30])]
    bundle = services.bundle_create(actor=None, data={"code": "2330", "name": "2330", "year": YEAR})
    for order, (name, days, start, end, members) in enumerate([
            ("企业开办", "2", "accepted", "delivered", items[:2]), ("不动产登记", "3", "accepted", "delivered", items[2:4]),
            ("工业项目施工许可", "30", "received", "decided", items[4:])]):
        services.scenario_create(actor=None, bundle=bundle, data={
            "name": name, "target_days": Decimal(days), "start_event": start, "end_event": end, "items": members,
            "order": order})
    return leader, bundle, items


def add_cases(items, n: int, start: int) -> None:
    """n cases with stored durations as the services compute them (bulk, for speed: the bench
    measures the reading side)."""
    from yuanqu.approvals.models import Case

    rng = random.Random(start)
    rows = []
    for k in range(start, start + n):
        item = items[k % len(items)]
        received = dt.date(YEAR, 1, 2) + dt.timedelta(days=rng.randint(0, 330))
        used = rng.randint(0, item.promised_days * 2 + 1)
        decided = received + dt.timedelta(days=used + used // 5 * 2)
        rows.append(Case(number=f"N{k:07d}", item=item, applicant="申请人", received_on=received, accepted_on=received,
                         decided_on=decided, delivered_on=decided, due_on=received, days_accepted_decided=used,
                         days_accepted_delivered=used, days_received_decided=used, days_received_delivered=used,
                         late=used > item.promised_days))
        if len(rows) == 5000:
            Case.objects.bulk_create(rows)
            rows = []
    Case.objects.bulk_create(rows)


def measure(leader, bundle):
    from yuanqu.approvals import selectors
    from yuanqu.org.models import User

    user = User.objects.get(pk=leader.pk)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        rows = selectors.bundle_figures(user, bundle, ON)
        ours = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [bundle.pk, dt.date(YEAR, 1, 1), ON])
        bare = {sc: (n, int(on_time)) for sc, n, on_time in cursor.fetchall()}
    bare_time = time.perf_counter() - start
    got = {r.scenario.pk: (r.figures.cases, r.figures.on_time) for r in rows}
    assert got == bare, (got, bare)
    return ours, len(queries), bare_time, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    leader, bundle, items = setup()
    sizes = sorted({min(10_000, args.cases), args.cases})
    made = 0
    print(f"审批时效：{connection.vendor}，对照“2330”三个场景（按时率、中位数、90%分位数，逐月）")
    print(f"{'办件数':>8} {'平台用时':>10} {'查询数':>6} {'裸SQL用时':>10}  各场景 办件/按时/中位数/90%分位")
    counts = []
    for size in sizes:
        add_cases(items, size - made, made)
        made = size
        ours, n_queries, bare, rows = measure(leader, bundle)
        counts.append(n_queries)
        detail = "；".join(f"{r.scenario.name} {r.figures.cases}/{r.figures.on_time}/{r.figures.median}/{r.figures.p90}"
                          for r in rows)
        print(f"{size:>8} {ours * 1000:>8.1f}ms {n_queries:>6} {bare * 1000:>8.1f}ms  {detail}")
    assert len(set(counts)) == 1, f"query count grew with the cases: {counts}"
    print(f"查询数固定为 {counts[0]}（场景、逐月直方图，及用户角色）；两种算法的办件数与按时数一致。")


if __name__ == "__main__":
    main()
