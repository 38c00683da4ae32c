"""Page timings at scale: the main pages over a plan grown to N targets with a year of reports.

    .venv/bin/python bench/pages.py [--targets 2000]

Builds a throwaway SQLite database (a temporary data folder), the demo zone, then N more targets
with monthly accepted reports, and times each page as the supervisor and a reporter sees it,
with its query count.
"""

import argparse
import datetime as dt
import os
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


def timed(client: Client, url: str) -> tuple[float, int, int]:
    best = None
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, len(ctx), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--year", "2026", "--today", TODAY.isoformat(), stdout=open(os.devnull, "w"))
    grow(args.targets)
    from yuanqu.org.models import User
    from yuanqu.plans.models import Plan

    plan = Plan.objects.get(is_demo=True)
    pages = [f"/plans/{plan.pk}/", f"/targets/?plan={plan.pk}", f"/targets/?plan={plan.pk}&status=red",
             "/review/", "/cockpit/", "/my/", "/supervision/", f"/api/plans/targets/?plan={plan.pk}",
             f"/reports/export/targets.xlsx?plan={plan.pk}"]
    print(f"{plan.targets.count()} targets; best of 3 per page")
    for username in ("supervisor", "zsj"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in pages:
            seconds, queries, code = timed(client, url)
            print(f"{username:11} {url:45} {code}  {seconds * 1000:7.0f} ms  {queries:3} queries")


if __name__ == "__main__":
    main()
