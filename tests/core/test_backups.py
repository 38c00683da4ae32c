"""`yuanqu backup` / `yuanqu restore`: a backup restored into a fresh target holds the same rows and
the same files, on whichever database the suite runs; a damaged archive writes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import tarfile
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from yuanqu.core.backups import BackupError, create_backup, restore_backup
from yuanqu.plans.services import report_submit

from ..factories import target

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def fresh(tmp_path):
    """An empty restore target of the suite's kind: a new data folder's SQLite file, or a new
    PostgreSQL database on the same server (dropped afterwards). Yields (database settings, media)."""
    media_root = tmp_path / "fresh" / "media"
    if not ON_POSTGRES:
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "fresh" / "yuanqu.sqlite3")}, media_root
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("没有 pg_dump/pg_restore（postgresql-client），跳过 PostgreSQL 的备份恢复测试")
    import psycopg
    from psycopg import sql

    database = dict(connection.settings_dict, NAME=f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}")
    admin = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    except psycopg.errors.InsufficientPrivilege:
        admin.close()
        pytest.skip("测试所用的 PostgreSQL 用户不能建库（CREATEDB），跳过恢复到新数据库的测试")
    try:
        yield database, media_root
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database["NAME"])))
        admin.close()


def open_db(database: dict):
    """A plain connection (no Django type conversions), so both sides read values alike."""
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        return closing(sqlite3.connect(name, uri=name.startswith("file:")))
    import psycopg

    params = dict(connection.get_connection_params(), dbname=database["NAME"])
    return closing(psycopg.connect(**params))


def table_names(cursor) -> list[str]:
    if ON_POSTGRES:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in cursor.fetchall())


def contents(cursor) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a hash of every row's values (order-independent)."""
    found = {}
    for table in table_names(cursor):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def filed(plan, users, settings):
    """Reports with attachments (one with a Chinese name, binary content) and a generated document."""
    t = target(plan, "招引项目")
    files = [SimpleUploadedFile("签约清单.xlsx", bytes(range(256)) * 40), SimpleUploadedFile("photo.jpg", os.urandom(5000))]
    report_submit(actor=users["invest"], target=t, period=dt.date(plan.year, 8, 1), value=40,
                  narrative="签约项目12个", files=files)
    bulletin = Path(settings.MEDIA_ROOT) / "bulletins" / "plan1" / "2026-08-v1.docx"
    bulletin.parent.mkdir(parents=True)
    bulletin.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    return t


def backup(tmp_path, settings) -> Path:
    out = tmp_path / "backups" / "b.tar.gz"
    out.parent.mkdir(exist_ok=True)
    create_backup(out, database=connection.settings_dict, media_root=Path(settings.MEDIA_ROOT), write=lambda _: None)
    return out


def test_restore_into_a_fresh_target_gives_the_same_rows_and_files(filed, fresh, tmp_path, settings):
    archive = backup(tmp_path, settings)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    database, media_root = fresh
    result = restore_backup(archive, database=database, media_root=media_root, write=lambda _: None)

    with open_db(connection.settings_dict) as conn:
        before = contents(conn.cursor())
    with open_db(database) as conn:
        after = contents(conn.cursor())
    assert before["plans_progressreport"][0] == 1 and before["plans_reportattachment"][0] == 2
    assert after == before
    assert result.rows == sum(n for n, _ in before.values())
    assert files_of(media_root) == files_of(Path(settings.MEDIA_ROOT))
    assert len(files_of(media_root)) == 3


def test_a_target_holding_data_is_refused_unless_forced(filed, fresh, tmp_path, settings):
    archive = backup(tmp_path, settings)
    database, media_root = fresh
    restore_backup(archive, database=database, media_root=media_root, write=lambda _: None)
    extra = media_root / "later.txt"
    extra.write_text("added after the restore")

    with pytest.raises(BackupError, match=r"恢复目标不是空的：数据库已有数据（[^）]*org_user 7 行.*已有 4 个文件.*--force"):
        restore_backup(archive, database=database, media_root=media_root, write=lambda _: None)
    assert extra.exists()

    restore_backup(archive, database=database, media_root=media_root, force=True, write=lambda _: None)
    assert not extra.exists()  # the target now is the archive, nothing more
    assert files_of(media_root) == files_of(Path(settings.MEDIA_ROOT))


def rewrite(archive: Path, dest: Path, *, manifest=None, member=None) -> Path:
    """A copy of the archive with its manifest (and/or one member's bytes) changed."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                body = json.loads(data)
                manifest(body)
                data = json.dumps(body).encode()
            elif member and info.name == member[0]:
                data = member[1](data)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


def truncated(archive: Path, dest: Path) -> Path:
    dest.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    return dest


def flipped(archive: Path, dest: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x10
    dest.write_bytes(bytes(data))
    return dest


def not_a_backup(dest: Path) -> Path:
    dest.write_bytes(gzip.compress("会议纪要".encode() * 1000))
    return dest


def other_engine(body):
    body["engine"] = "sqlite" if ON_POSTGRES else "postgresql"


def future_migration(body):
    body["migrations"]["plans"].append("9999_from_the_future")


DAMAGE = {
    "truncated": (truncated, "已损坏或不完整"),
    "one bit flipped": (flipped, "已损坏"),
    "an attachment changed": (
        lambda a, d: rewrite(a, d, member=("media/bulletins/plan1/2026-08-v1.docx", lambda b: b[:-1] + b"x")),
        "校验和与 manifest.json 不符",
    ),
    "an entry outside media": (lambda a, d: _add_member(a, d, "../../etc/cron.d/x"), "不应出现的条目"),
    "migrations newer than the code": (
        lambda a, d: rewrite(a, d, manifest=future_migration),
        r"较新版本的平台.*plans\.9999_from_the_future.*升级",
    ),
    "not a backup": (lambda a, d: not_a_backup(d), "已损坏或不完整"),
    "a mangled manifest": (lambda a, d: rewrite(a, d, manifest=lambda m: m.update(counts="很多")), "格式不对"),
    "the other kind of database": (lambda a, d: rewrite(a, d, manifest=other_engine), "请恢复到同类数据库"),
}


def _add_member(archive: Path, dest: Path, name: str) -> Path:
    with tarfile.open(archive, "r:gz") as src:
        members = [(info, src.extractfile(info).read()) for info in src.getmembers()]
    with tarfile.open(dest, "w:gz") as out:
        for info, data in [*members, (tarfile.TarInfo(name), b"* * * * * root true\n")]:
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_archive_is_refused_and_nothing_is_written(damage, filed, fresh, tmp_path, settings):
    make, message = DAMAGE[damage]
    bad = make(backup(tmp_path, settings), tmp_path / "bad.tar.gz")
    database, media_root = fresh
    folder = media_root.parent
    folder.mkdir(parents=True, exist_ok=True)

    with pytest.raises(BackupError, match=message) as refused:
        restore_backup(bad, database=database, media_root=media_root, force=True, write=lambda _: None)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    assert list(folder.iterdir()) == []  # no database file, no media folder, no staging left behind
    if ON_POSTGRES:
        with open_db(database) as conn:
            assert table_names(conn.cursor()) == []


def test_the_command_writes_a_private_archive_and_keeps_the_newest(filed, tmp_path):
    folder = tmp_path / "kept"
    folder.mkdir()
    for stamp in ("20250101-020000", "20250102-020000", "20250103-020000"):
        (folder / f"yuanqu-{stamp}.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("not ours")
    out = io.StringIO()

    call_command("backup", out=f"{folder}/", keep=2, stdout=out)

    archives = sorted(p.name for p in folder.glob("yuanqu-*.tar.gz"))
    assert archives[0] == "yuanqu-20250103-020000.tar.gz" and len(archives) == 2
    assert (folder / "notes.txt").exists()
    newest = folder / archives[1]
    assert stat.S_IMODE(newest.stat().st_mode) == 0o600
    assert "已备份到" in out.getvalue() and "附件 3 个" in out.getvalue()
    with tarfile.open(newest, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"]["plans_reportattachment"] == 2
    assert not list(folder.glob(".*"))  # no temporary file left beside it
