"""SQLite under concurrent writers, as the platform runs on a small intranet server: gunicorn (two
workers, 16 threads each) on a WAL database, 32 reporters filing reports through the API at the same
time while the administrator's large import holds the write lock. Writers wait their turn (the busy
timeout) and are answered 201; one starved past it is a Chinese 503 to retry; none gets a 500, and
every 201 is a report in the database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRITERS = 32

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 的写锁；PostgreSQL 按行加锁")

# A zone with one reporter and a target for each writer, a session for the reporter, and a
# previewed import of 60 units and 2,000 users (applied later, in its own process).
SETUP = """
import json, os, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from yuanqu.core import clock
from yuanqu.core.imports.services import import_apply, import_preview
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Plan, Section
from tests.core.spreadsheets import xlsx
from tests.factories import make_target, make_user
from tests.org.zone_sheets import unit_rows, user_rows

call_command("migrate", verbosity=0)
unit = OrgUnit.objects.create(name="招商局")
admin = make_user("root", Role.ADMIN)
reporter = make_user("writer", Role.REPORTER, unit)
plan = Plan.objects.create(year=clock.today().year, title="计划", source_text="一、招商。", status=Plan.Status.ACTIVE)
section = Section.objects.create(plan=plan, no="一", title="招商", order=0)
targets = [make_target(plan, section, unit, f"目标{i}").pk for i in range(int(os.environ["WRITERS"]))]
import_apply(actor=admin, batch=import_preview(actor=admin, importer_key="org.units", file_name="u.xlsx",
                                               data=xlsx(unit_rows())))
batch = import_preview(actor=admin, importer_key="org.users", file_name="users.xlsx", data=xlsx(user_rows(2000)))
session = SessionStore()
session.update({SESSION_KEY: str(reporter.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: reporter.get_session_auth_hash()})
session.create()
print(json.dumps({"session": session.session_key, "targets": targets, "batch": batch.pk, "admin": admin.pk,
                  "month": clock.today().strftime("%Y-%m")}))
"""

# The import, applied in one transaction as the worker applies it; prints when it starts and ends.
IMPORT = """
import sys, time, django
django.setup()
from yuanqu.core.imports import services
from yuanqu.core.models import ImportBatch
batch = int(sys.argv[1])
write, held = services._write, []

def timed_write(*args):  # how long the import holds the write lock
    began = time.monotonic()
    write(*args)
    held.append(time.monotonic() - began)

services._write = timed_write
ImportBatch.objects.filter(pk=batch).update(status="queued")
print("start", flush=True)
started = time.monotonic()
services.run_import(batch, int(sys.argv[2]))
print(ImportBatch.objects.get(pk=batch).status, round(time.monotonic() - started, 1), round(sum(held), 1), flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_report(base: str, session: str, body: dict) -> tuple[int, dict]:
    csrf = "c" * 32
    request = urllib.request.Request(
        f"{base}/api/plans/reports/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Cookie": f"sessionid={session}; csrftoken={csrf}",
                 "X-CSRFToken": csrf, "Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc) if exc.headers.get_content_type() == "application/json" else {}


def test_thirty_two_writers_during_a_long_import_wait_and_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YUANQU_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="yuanqu.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]), WRITERS=str(WRITERS))
    setup = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    assert setup.returncode == 0, setup.stderr
    zone = json.loads(setup.stdout.strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:yuanqu.gunicorn_conf", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--threads", "16", "yuanqu.wsgi"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    importer = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        importer = subprocess.Popen([sys.executable, "-c", IMPORT, str(zone["batch"]), str(zone["admin"])],
                                    cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        assert importer.stdout.readline().strip() == "start"

        codes: list[int] = []
        refusals: list[dict] = []
        lock = threading.Lock()

        def write(target: int) -> None:
            n = 0
            while n == 0 or importer.poll() is None:  # at least one report, and on until the import ends
                code, body = post_report(base, zone["session"], {"target": target, "period": zone["month"],
                                                                 "value": str(n), "narrative": f"第{n}次"})
                with lock:
                    codes.append(code)
                    if code != 201:
                        refusals.append(body)
                n += 1
                time.sleep(0.05)  # a person, not a loop: the next report a moment later

        threads = [threading.Thread(target=write, args=(t,)) for t in zone["targets"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        status, seconds, held = importer.communicate(timeout=60)[0].split()
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
        server.terminate()
        server.wait(timeout=30)

    assert status == "applied" and float(seconds) > 1, (status, seconds)  # a long import really ran
    print(f"import {seconds} s, write lock held {held} s; {len(codes)} reports: " + ", ".join(f"{c}×{codes.count(c)}" for c in sorted(set(codes))))
    # Writers wait for the lock; one that waited past the busy timeout (the machine saturated by
    # 32 writers on 2 cores) is told in Chinese to retry: never a 500, never a half-written report.
    assert codes.count(500) == 0 and set(codes) <= {201, 503}, sorted(set(codes))
    assert all("系统正忙" in body.get("message", "") for body in refusals), refusals[:3]
    assert codes.count(201) >= 0.95 * len(codes) and len(codes) >= WRITERS
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(tmp_path / "data" / "yuanqu.sqlite3")) as db:
        # Every 201 is a report, every 503 is none; the import is whole.
        assert db.execute("SELECT COUNT(*) FROM plans_progressreport").fetchone()[0] == codes.count(201)
        assert db.execute("SELECT COUNT(*) FROM org_user").fetchone()[0] == 2002
