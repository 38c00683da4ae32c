"""Page timings at scale: the main pages over the large demo (`yuanqu demo --size large`'s builder).

    PYTHONPATH=src .venv/bin/python bench/pages.py [--targets 2000|10000] [--runs 7] [--profile]

Builds a throwaway SQLite database (a temporary data folder; BENCH_DATABASE_URL for a PostgreSQL
database you made for it), the demo zone, then grows it with plans.demo_large to N targets with a
monthly report for each month of the year up to the demo's today, and the registers in
proportion (at 10,000 targets: 20,000 enterprises, 5,000 projects, 200,000 grid events). Each page
is timed as its user sees it: the median of `--runs` requests, each alternated with a trivial
signed-in page (the notification list), so the ratio page ÷ trivial says how heavy a page is
whatever the machine's load; with its query count and the peak of Python memory one request of it
allocates (tracemalloc, a separate untimed request). Then the process's peak RSS (what a gunicorn
worker serving these pages would reach) and the month's bulletin (data and .docx), timed once.
`--profile` prints a cProfile top 15 (cumulative) of one request of each page over ×10 trivial.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import re
import resource
import statistics
import sys
import time
import traceback
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import bench_database, start  # noqa: E402

SLOW = 10  # × trivial: a page over this gets a profile with --profile
parser = argparse.ArgumentParser()
parser.add_argument("--targets", type=int, default=2000)
parser.add_argument("--runs", type=int, default=7)
parser.add_argument("--profile", action="store_true", help=f"cProfile of each page over ×{SLOW} trivial")
parser.add_argument("--data-dir", help="a data folder an earlier run built (printed by it): measured, not rebuilt")
args = parser.parse_args()
start(ALLOWED_HOSTS="testserver", **bench_database(),
      **({"YUANQU_DATA_DIR": args.data_dir} if args.data_dir else {}))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TODAY = dt.date(2026, 9, 15)
TRIVIAL = "/notifications/"


def build_apart(targets: int) -> None:
    """`build` in a forked child, so this process's peak memory is the pages' alone."""
    pid = os.fork()
    if pid == 0:
        try:
            build(targets)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
        raise SystemExit("building the large demo failed")


def build(targets: int) -> None:
    """The demo, then grown to `targets` with the registers in proportion (plans.demo_large)."""
    from yuanqu.plans import demo_large

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=open(os.devnull, "w"))
    demo_s = time.perf_counter() - started
    size = demo_large.LARGE.scaled(targets / demo_large.LARGE.targets)
    demo_large.build(today=TODAY, size=size)
    print(f"built in {time.perf_counter() - started:.0f} s (demo {demo_s:.0f} s, growing "
          f"{time.perf_counter() - started - demo_s:.0f} s): {size}")


def pages() -> list[tuple[str, str]]:
    """(username, address) of each page measured."""
    from yuanqu.org.models import OrgUnit
    from yuanqu.plans.models import Plan

    plan = Plan.objects.get(is_demo=True)
    targets = f"/targets/?plan={plan.pk}"
    unit = OrgUnit.objects.get(is_demo=True, name="招商局")
    village = OrgUnit.objects.get(is_demo=True, name="三南村")
    section = plan.sections.order_by("order").first()
    return [
        ("leader", "/cockpit/"),
        ("supervisor", f"/plans/{plan.pk}/"),
        ("supervisor", targets),
        ("supervisor", f"{targets}&status=red"),
        ("supervisor", f"{targets}&unit={unit.pk}"),
        ("supervisor", f"{targets}&section={section.pk}"),
        ("supervisor", f"{targets}&sort=gap"),
        ("supervisor", f"{targets}&page=50"),
        ("supervisor", "/review/"),
        ("supervisor", f"/villages/{village.pk}/"),
        ("zsj", "/my/"),
        ("zsj", targets),
        ("supervisor", "/supervision/"),
        ("supervisor", f"/api/plans/targets/?plan={plan.pk}"),
        ("supervisor", f"/reports/export/targets.xlsx?plan={plan.pk}"),
        ("leader", "/enterprises/"),
        ("leader", "/projects/"),
        ("leader", "/grid/"),
    ]


def _get(client: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    return elapsed, len(ctx), response.status_code


def timed(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median seconds, median of the trivial page alternated with it, queries, status)."""
    _get(client, url)  # warm: templates, caches, the stored lights brought up to date
    page, trivial = [], []
    for _ in range(runs):
        seconds, queries, code = _get(client, url)
        page.append(seconds)
        trivial.append(_get(client, TRIVIAL)[0])
    return statistics.median(page), statistics.median(trivial), queries, code


def allocated_mb(client: Client, url: str) -> float:
    """Peak Python memory one request allocates (tracemalloc; untimed, it slows the request)."""
    tracemalloc.start()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


# The platform's own frames, below the middleware every request passes through.
OWN_CODE = r"src/yuanqu/(?!core/(middleware|security|idempotency|kept_forms)\.py)"


def profile(client: Client, url: str) -> str:
    """The top 15 of the platform's functions by cumulative time, and the top 10 of all by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(OWN_CODE, 15)
    stats.sort_stats("tottime").print_stats(10)
    return re.sub(r"\n\s*(Ordered by|List reduced)[^\n]*", "", out.getvalue())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def bulletin_seconds(plan) -> tuple[float, float]:
    """(seconds for the bulletin's data, seconds for its .docx), for the month just ended."""
    from yuanqu.org.models import User
    from yuanqu.reports.bulletin import bulletin_data, render_docx

    user = User.objects.get(username="supervisor")
    month = dt.date(TODAY.year, TODAY.month - 1, 1)
    start = time.perf_counter()
    data = bulletin_data(plan=plan, month=month, user=user, issued_on=TODAY)
    middle = time.perf_counter()
    render_docx(data)
    return middle - start, time.perf_counter() - middle


def main() -> None:
    from yuanqu.core import clock

    clock.set_today(TODAY)  # the demo's day: 序时进度 and the stored lights are of it
    if not args.data_dir:
        build_apart(args.targets)
    from yuanqu.org.models import User
    from yuanqu.plans.models import Plan

    plan = Plan.objects.get(is_demo=True)
    print(f"{plan.targets.alive().count()} targets, {connection.vendor} ({os.environ['YUANQU_DATA_DIR']}); median of {args.runs} per page, "
          f"alternated with {TRIVIAL}; peak = Python memory one request allocates")
    clients: dict[str, Client] = {}
    measured = []
    for username, url in pages():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        # The full export takes seconds a run: once is enough to see it.
        measured.append((username, url, *timed(clients[username], url, 1 if "export" in url else args.runs)))
    rss = peak_rss_mb()  # before tracemalloc, whose own bookkeeping would count
    slow = []
    for username, url, seconds, trivial, queries, code in measured:
        ratio = seconds / trivial
        print(f"{username:10} {url:38} {code}  {seconds * 1000:7.0f} ms  trivial {trivial * 1000:4.0f} ms"
              f"  ×{ratio:5.1f}  {queries:3} queries  peak {allocated_mb(clients[username], url):6.1f} MB",
              flush=True)
        if ratio > SLOW:
            slow.append((username, url))
    print(f"process peak RSS after every page {rss:.0f} MB (a worker serving them all; the build ran apart)")
    data_s, docx_s = bulletin_seconds(plan)
    print(f"bulletin {TODAY.month - 1}月: data {data_s:.2f} s, .docx {docx_s:.2f} s, total {data_s + docx_s:.2f} s")
    if args.profile:
        for username, url in slow:
            print(f"\n---- {username} {url}\n{profile(clients[username], url)}")


if __name__ == "__main__":
    main()
