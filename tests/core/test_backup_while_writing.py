"""A backup taken while the platform keeps writing reports is a consistent database: run as the
administrator would, `yuanqu backup` from the command line against a live SQLite data folder (WAL)
that another process writes to, then `yuanqu restore` into a fresh folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
YUANQU = Path(sys.executable).parent / "yuanqu"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite 的在线备份测试；PostgreSQL 由 pg_dump 的快照保证一致"
)

# Files a monthly report with an attachment, target after target, until the stop file appears.
WRITER = """
import os, sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from yuanqu.core import clock
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Plan, Section
from yuanqu.plans.services import report_submit
from tests.factories import make_target, make_user

call_command("migrate", verbosity=0)
unit = OrgUnit.objects.create(name="招商局")
user = make_user("writer", Role.REPORTER, unit)
today = clock.today()
plan = Plan.objects.create(year=today.year, title="计划", source_text="一、招商。", status=Plan.Status.ACTIVE)
section = Section.objects.create(plan=plan, no="一", title="招商", order=0)
targets = [make_target(plan, section, unit, f"目标{i}") for i in range(5)]
print("ready", flush=True)
n = 0
while not os.path.exists(os.environ["STOP_FILE"]):
    report_submit(actor=user, target=targets[n % 5], period=today, value=n, narrative=f"第{n}次填报",
                  files=[SimpleUploadedFile(f"佐证{n}.pdf", os.urandom(20000))])
    n += 1
print(n, flush=True)
"""


def run(*args, env):
    return subprocess.run([str(YUANQU), *args], env=env, capture_output=True, text=True, timeout=120)


def database_of(archive: Path, folder: Path) -> tuple[Path, dict, set[str]]:
    import json

    with tarfile.open(archive, "r:gz") as tar:
        tar.extract("database.sqlite3", folder, filter="data")
        manifest = json.load(tar.extractfile("manifest.json"))
        members = set(tar.getnames())
    return folder / "database.sqlite3", manifest, members


def test_a_backup_taken_while_reports_are_written_is_consistent(tmp_path):
    live, fresh, backups = tmp_path / "live", tmp_path / "fresh", tmp_path / "backups"
    backups.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YUANQU_DATA_DIR=str(live), DJANGO_SETTINGS_MODULE="yuanqu.settings", STOP_FILE=str(tmp_path / "stop"))
    writer = subprocess.Popen([sys.executable, "-c", WRITER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        archives = []
        for i in range(3):
            done = run("backup", "--out", str(backups / f"b{i}.tar.gz"), env=env)
            assert done.returncode == 0, done.stderr
            archives.append(backups / f"b{i}.tar.gz")
    finally:
        (tmp_path / "stop").touch()
        written = int(writer.communicate(timeout=60)[0].strip())

    reports = []
    for i, archive in enumerate(archives):
        path, manifest, members = database_of(archive, tmp_path / f"x{i}")
        with closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = db.execute("SELECT COUNT(*) FROM plans_progressreport").fetchone()[0]
            files = [f for (f,) in db.execute("SELECT file FROM plans_reportattachment")]
        assert manifest["counts"]["plans_progressreport"] == count  # the manifest describes this very copy
        assert {f"media/{f}" for f in files} <= members  # every attachment a row names is in the archive
        reports.append(count)
    assert reports == sorted(reports) and reports[0] < reports[-1] <= written  # the writer wrote throughout

    env.update(YUANQU_DATA_DIR=str(fresh))
    done = run("restore", str(archives[-1]), env=env)
    assert done.returncode == 0, done.stderr
    assert "核对一致" in done.stdout
    with closing(sqlite3.connect(fresh / "yuanqu.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM plans_progressreport").fetchone()[0] == reports[-1]
    assert oct((fresh / "yuanqu.sqlite3").stat().st_mode & 0o777) == "0o600"
