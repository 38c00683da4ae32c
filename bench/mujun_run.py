"""A 亩均 run of 20,000 enterprises from the database, end to end.

    .venv/bin/python bench/mujun_run.py [--enterprises 20000]

Builds a throwaway SQLite database (a temporary data folder) with N demo enterprises and three
years of figures (the demo's own bulk path), then times `mujun_services.run_create` on the
Huangyan scheme for the latest year — read the current figures and the register, build the
snapshot, score with the engine, build every explanation, insert every result — and, apart, its
parts: the snapshot alone and the engine alone. Then the run page's and the explanation page's
query counts, which must not depend on N.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._django import start  # noqa: E402

start(ALLOWED_HOSTS="testserver")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from yuanqu.enterprises import demo
    from yuanqu.enterprises import mujun_services as ms
    from yuanqu.enterprises.models import MujunResult
    from yuanqu.enterprises.mujun import evaluate, load_fixture

    today = dt.date(2026, 9, 15)
    started = time.perf_counter()
    rng = random.Random(1)
    enterprises = demo._enterprises(rng, today, args.enterprises)
    figures = demo._figures(rng, enterprises, today)
    print(f"setup: {len(enterprises):,} enterprises, {figures:,} figure versions in {time.perf_counter() - started:.1f} s")

    definition = load_fixture("huangyan_2022").to_dict()
    definition.update(year=today.year - 1, name="bench")
    scheme = ms.scheme_create(actor=None, definition=definition,
                              sources={"主要污染物排放量": "pollutants", "R&D经费支出": "rnd"})
    parsed = scheme.parsed()

    t = time.perf_counter()
    table = ms.build_snapshot(parsed, scheme.sources, scheme.year)
    snapshot_s = time.perf_counter() - t
    t = time.perf_counter()
    evaluate(parsed, table)
    engine_s = time.perf_counter() - t
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        run = ms.run_create(actor=None, scheme=scheme)
        total_s = time.perf_counter() - t
    n = MujunResult.objects.filter(run=run).count()
    print(f"run of {n:,} enterprises end to end: {total_s:.2f} s in {len(queries)} queries "
          f"(snapshot {snapshot_s:.2f} s, engine {engine_s:.3f} s; the rest is explanations and the insert)")
    assert n == len(table["id"])

    from django.test import Client

    from yuanqu.org.models import User
    from yuanqu.org.roles import LEADER

    leader = User.objects.create_user("bench-leader", password="x")
    leader.role_assignments.create(role=LEADER)
    client = Client()
    client.force_login(leader)
    result = MujunResult.objects.filter(run=run).first()
    for url in (f"/enterprises/mujun/runs/{run.pk}/", f"/enterprises/mujun/results/{result.pk}/"):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            status = client.get(url).status_code
        print(f"{url}: {status}, {len(queries)} queries, {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
