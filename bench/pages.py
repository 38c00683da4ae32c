"""Page timings at scale: the main pages over a plan grown to N targets with a year of reports.

    PYTHONPATH=src .venv/bin/python bench/pages.py [--targets 2000] [--runs 7]

Builds a throwaway SQLite database (a temporary data folder), the demo zone, then N more targets
with monthly accepted reports, and times each page as the supervisor and a reporter sees it: the
median of `--runs` requests, each alternated with a trivial signed-in page (the notification
list) so the ratio page ÷ trivial says how heavy a page is whatever the machine's load; with its
query count. Then the month's bulletin (data and .docx) is timed once.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["YUANQU_DATA_DIR"] = tempfile.mkdtemp(prefix="yuanqu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TODAY = dt.date(2026, 9, 15)


def grow(n: int) -> None:
    from yuanqu.org.models import OrgUnit, User
    from yuanqu.plans.models import Plan, ProgressReport, Target

    plan = Plan.objects.get(is_demo=True)
    sections = list(plan.sections.all())
    units = list(OrgUnit.objects.filter(kind="department"))
    supervisor = User.objects.get(username="supervisor")
    targets = Target.objects.bulk_create(
        Target(plan=plan, section=sections[i % len(sections)], lead_unit=units[i % len(units)],
               title=f"基准目标{i}", kind="quantity", comparator=">=", target_value=100, unit="个")
        for i in range(n)
    )
    reports = [
        ProgressReport(target=t, period=dt.date(2026, m, 1), value=m * 7 + (t.pk % 20), narrative="推进",
                       submitted_by=supervisor, review="accepted")
        for t in targets for m in range(1, 9)
    ]
    ProgressReport.objects.bulk_create(reports, batch_size=2000)


TRIVIAL = "/notifications/"


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from yuanqu.core import clock

    clock.set_today(TODAY)  # the demo's day: 序时进度 and the stored lights are of it
    call_command("migrate", verbosity=0)
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=open(os.devnull, "w"))
    grow(args.targets)
    from yuanqu.org.models import User
    from yuanqu.plans.models import Plan

    plan = Plan.objects.get(is_demo=True)
    pages = [f"/plans/{plan.pk}/", f"/targets/?plan={plan.pk}", f"/targets/?plan={plan.pk}&status=red",
             "/review/", "/cockpit/", "/my/", "/supervision/", f"/api/plans/targets/?plan={plan.pk}",
             f"/reports/export/targets.xlsx?plan={plan.pk}"]
    print(f"{plan.targets.count()} targets; median of {args.runs} per page, alternated with {TRIVIAL}")
    for username in ("supervisor", "zsj"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in pages:
            # The full export takes seconds a run: once is enough to see it.
            seconds, trivial, queries, code = timed(client, url, 1 if "export" in url else args.runs)
            print(f"{username:11} {url:45} {code}  {seconds * 1000:7.0f} ms  ×{seconds / trivial:5.1f} trivial"
                  f"  {queries:3} queries")
    data_s, docx_s = bulletin_seconds(plan)
    print(f"bulletin {TODAY.month - 1}月: data {data_s:.2f} s, .docx {docx_s:.2f} s, total {data_s + docx_s:.2f} s")


if __name__ == "__main__":
    main()
