"""Backup and restore of the whole platform: the database and every stored file, in one .tar.gz.

The archive holds
    database.sqlite3 | database.pgdump   the database: SQLite's online backup, or pg_dump (custom format)
    media/<path>                         every stored file (report attachments, bulletins, adjustment
                                         documents, supervision evidence, bonus evidence)
    manifest.json                        last: platform version, migrations, rows per table, checksums

The database is copied before the files: a file saved after the copy is at worst an orphan in the
archive, never a row whose file is missing. A restore reads and checks the whole archive into a
staging folder before it touches the target, so a damaged archive writes nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables `yuanqu migrate` fills by itself: a database holding rows only there is still empty.
FILLED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# Below this many bytes a step prints no progress lines, only its summary.
PROGRESS_MIN_BYTES = 32 * 1024 * 1024
CHUNK = 1024 * 1024
ARCHIVE_PREFIX = "yuanqu-"
ARCHIVE_SUFFIX = ".tar.gz"
PG_CLIENT_HINT = (
    "请安装 PostgreSQL 客户端工具（Debian：apt-get install postgresql-client，"
    "主版本不低于数据库服务器），或把其所在目录加入 PATH。"
)


class BackupError(Exception):
    """A refusal or failure, with the Chinese message the command prints."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Write = Callable[[str], None]


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class Progress:
    """Prints `label：x MB / y MB（z%）` at each tenth of a large step."""

    def __init__(self, write: Write, label: str, total: int):
        self.write, self.label, self.total = write, label, total
        self.done = 0
        self.shown = 0  # tenths printed so far
        self.quiet = total < PROGRESS_MIN_BYTES

    def advance(self, n: int) -> None:
        self.done += n
        if self.quiet or not self.total:
            return
        tenth = min(10, self.done * 10 // self.total)
        if tenth > self.shown:
            self.shown = tenth
            self.write(f"  {self.label}：{megabytes(self.done)} / {megabytes(self.total)}（{tenth * 10}%）")


class _Hashing:
    """A file object that hashes, counts and reports what is read through it."""

    def __init__(self, raw, progress: Progress | None = None):
        self.raw, self.progress = raw, progress
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        if self.progress:
            self.progress.advance(len(data))
        return data


def engine_of(database: dict) -> str:
    engine = database.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持备份此类数据库（{engine}）：只支持 SQLite 和 PostgreSQL。")


def platform_version() -> str:
    try:
        return metadata.version("yuanqu")
    except metadata.PackageNotFoundError:
        return "unknown"


def code_migrations() -> set[tuple[str, str]]:
    """Every migration the installed code has, as (app, name)."""
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# --- the two databases -------------------------------------------------------------------------


def _sqlite_path(database: dict) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("恢复目标是内存数据库，无法恢复：请用 YUANQU_DATA_DIR 或 DATABASE_URL 指定一个数据库文件。")
    return Path(name)


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_state(conn: sqlite3.Connection) -> tuple[dict[str, int], dict[str, list[str]]]:
    tables = _sqlite_tables(conn)
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}
    migrations = _migration_map(conn.execute("SELECT app, name FROM django_migrations")) if "django_migrations" in counts else {}
    return counts, migrations


def _migration_map(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sqlite_integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def _sqlite_snapshot(alias: str, dest: Path):
    """Copy the live database with SQLite's online backup API, in one step: the copy is one read
    transaction, so writers (WAL) go on and the copy is a consistent moment."""
    from django.db import connections

    conn = connections[alias]
    conn.ensure_connection()
    with closing(sqlite3.connect(dest)) as target:
        conn.connection.backup(target)
        # Store the copy as a plain rollback-journal file: one self-contained file in the archive.
        target.execute("PRAGMA journal_mode=DELETE")
        counts, migrations = _sqlite_state(target)
    integrity = _sqlite_integrity(dest)
    if integrity != "ok":
        raise BackupError(f"数据库副本未通过完整性检查（{integrity}），未生成备份：请检查数据库文件。")
    return counts, migrations


@dataclass
class _Pg:
    """Connection details of a PostgreSQL database, for psycopg and for the client tools (the password
    goes through the environment, never the command line)."""

    database: dict

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        d = self.database
        for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
            if d.get(key):
                env[var] = str(d[key])
        if (d.get("OPTIONS") or {}).get("sslmode"):
            env["PGSSLMODE"] = d["OPTIONS"]["sslmode"]
        return env

    def connect(self):
        import psycopg

        d = self.database
        kwargs = {"dbname": d["NAME"], "user": d.get("USER") or None, "password": d.get("PASSWORD") or None,
                  "host": d.get("HOST") or None, "port": d.get("PORT") or None}
        if (d.get("OPTIONS") or {}).get("sslmode"):
            kwargs["sslmode"] = d["OPTIONS"]["sslmode"]
        try:
            return psycopg.connect(**{k: v for k, v in kwargs.items() if v is not None})
        except psycopg.OperationalError as exc:
            raise BackupError(
                f"无法连接数据库“{d['NAME']}”（{str(exc).strip()}）：请检查 DATABASE_URL；"
                "恢复到新的 PostgreSQL 数据库前先创建它（createdb -O 平台的数据库用户 库名）。"
            ) from None

    def run(self, tool: str, *args: str) -> None:
        path = shutil.which(tool)
        if path is None:
            raise BackupError(f"找不到 {tool}：{PG_CLIENT_HINT}")
        done = subprocess.run([path, *args], env=self.env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"{tool} 执行失败：{done.stderr.strip() or done.returncode}")


def _pg_tables(cur) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cur.fetchall()]


def _pg_state(cur) -> tuple[dict[str, int], dict[str, list[str]]]:
    from psycopg import sql

    counts = {}
    for table in _pg_tables(cur):
        cur.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cur.fetchone()[0]
    migrations = {}
    if "django_migrations" in counts:
        cur.execute("SELECT app, name FROM django_migrations")
        migrations = _migration_map(cur.fetchall())
    return counts, migrations


def _pg_snapshot(database: dict, dest: Path):
    """pg_dump and the row counts read the same snapshot (pg_export_snapshot), so the manifest
    describes exactly the dump even while the platform writes."""
    pg = _Pg(database)
    if shutil.which("pg_dump") is None:
        raise BackupError(f"找不到 pg_dump：{PG_CLIENT_HINT}")
    with closing(pg.connect()) as conn, conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        counts, migrations = _pg_state(cur)
        pg.run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dest}", f"--dbname={database['NAME']}")
        conn.rollback()
    return counts, migrations


# --- backup ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    size: int
    database_size: int
    tables: int
    rows: int
    files: int
    media_size: int
    seconds: float


def default_name(now: dt.datetime) -> str:
    return f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    if not media_root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return found


def _add(tar: tarfile.TarFile, name: str, raw, size: int, progress: Progress | None) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    reader = _Hashing(raw, progress)
    tar.addfile(info, reader)
    return {"name": name, "size": size, "sha256": reader.sha256.hexdigest()}


@contextmanager
def _private_file(final: Path):
    """An open file next to `final`, mode 600, renamed onto `final` only when the block succeeds."""
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    os.chmod(tmp, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def create_backup(out: Path, *, database: dict, media_root: Path, alias: str = "default",
                  write: Write = print) -> BackupResult:
    """Write the archive to `out` (whole or not at all, mode 600)."""
    from django.utils import timezone

    started = time.monotonic()
    engine = engine_of(database)
    if out.exists():
        raise BackupError(f"“{out}”已存在，未覆盖：请换一个文件名，或指定目录让备份按时间命名。")
    if not out.parent.is_dir():
        raise BackupError(f"目录“{out.parent}”不存在：请先创建。")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".yuanqu-backup-") as work:
        dump = Path(work) / DB_MEMBER[engine]
        write(f"复制数据库（{ENGINE_NAMES[engine]}）…")
        if engine == "sqlite":
            counts, migrations = _sqlite_snapshot(alias, dump)
        else:
            counts, migrations = _pg_snapshot(database, dump)
        if "django_migrations" not in counts:
            raise BackupError("数据库中还没有平台的数据表（未运行 yuanqu migrate），没有可备份的内容。")
        media = _media_files(media_root)
        media_size = sum(path.stat().st_size for _, path in media)
        database_size = dump.stat().st_size
        write(f"写入备份：数据库 {megabytes(database_size)}，附件 {len(media)} 个（{megabytes(media_size)}）…")
        progress = Progress(write, "已写入", database_size + media_size)
        entries = []
        with _private_file(out) as handle:
            with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                with open(dump, "rb") as raw:
                    entries.append(_add(tar, dump.name, raw, database_size, progress))
                for rel, path in media:
                    try:
                        with open(path, "rb") as raw:
                            size = os.fstat(raw.fileno()).st_size
                            entries.append(_add(tar, f"{MEDIA}/{rel}", raw, size, progress))
                    except FileNotFoundError:
                        continue  # deleted since the listing: its row is gone from the copy too
                manifest = {
                    "format": FORMAT,
                    "platform": "yuanqu",
                    "version": platform_version(),
                    "created": timezone.localtime().isoformat(timespec="seconds"),
                    "engine": engine,
                    "database": dump.name,
                    "migrations": migrations,
                    "counts": counts,
                    "files": entries,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(body), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(body))
    return BackupResult(
        path=out, size=out.stat().st_size, database_size=database_size, tables=len(counts),
        rows=sum(counts.values()), files=len(entries) - 1, media_size=media_size,
        seconds=time.monotonic() - started,
    )


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives this command named in `folder`."""
    archives = sorted(p for p in folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if p.is_file())
    old = archives[:-keep] if keep else archives
    for path in old:
        path.unlink()
    return old


# --- restore -----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int
    seconds: float
    pending_migrations: list[str] = field(default_factory=list)


def target_contents(database: dict, media_root: Path) -> tuple[dict[str, int], int]:
    """What the restore target already holds: rows per table (beyond what migrate fills) and files."""
    engine = engine_of(database)
    counts: dict[str, int] = {}
    if engine == "sqlite":
        path = _sqlite_path(database)
        if path.exists() and path.stat().st_size:
            try:
                with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
                    counts = _sqlite_state(conn)[0]
            except sqlite3.DatabaseError:
                counts = {path.name: 1}  # not readable as a database: something is there all the same
    else:
        with closing(_Pg(database).connect()) as conn, conn.cursor() as cur:
            counts = _pg_state(cur)[0]
    rows = {t: n for t, n in counts.items() if n and t not in FILLED_BY_MIGRATE}
    files = len(_media_files(media_root))
    return rows, files


def _member_name(member: tarfile.TarInfo) -> str:
    """The member's name if it is one this command writes; else the archive is refused."""
    name = member.name
    path = PurePosixPath(name)
    allowed = name == MANIFEST or name in DB_MEMBER.values() or (
        len(path.parts) > 1 and path.parts[0] == MEDIA and not path.is_absolute()
        and not any(p in ("..", "") for p in path.parts)
    )
    if not member.isfile() or not allowed or "\\" in name:
        raise BackupError(f"备份文件中有不应出现的条目“{name}”：这不是 yuanqu backup 生成的备份，已拒绝恢复。")
    return name


class _Counting:
    def __init__(self, raw, progress: Progress):
        self.raw, self.progress = raw, progress

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.progress.advance(len(data))
        return data


def _unpack(archive: Path, staging: Path, write: Write) -> tuple[dict, dict[str, tuple[int, str]]]:
    """Every member into `staging`, with its size and checksum; the gzip checksum is verified to the
    last byte, so a truncated or damaged archive is refused here."""
    found: dict[str, tuple[int, str]] = {}
    progress = Progress(write, "已读取", archive.stat().st_size)
    damaged = "备份文件已损坏或不完整（{}）：未做任何恢复，请换一份完好的备份。"
    try:
        with open(archive, "rb") as raw, gzip.GzipFile(fileobj=_Counting(raw, progress), mode="rb") as gz:
            with tarfile.open(fileobj=gz, mode="r|") as tar:
                for member in tar:
                    name = _member_name(member)
                    if name in found:
                        raise BackupError(f"备份文件中“{name}”出现了两次，已拒绝恢复。")
                    dest = staging / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    source = tar.extractfile(member)
                    reader = _Hashing(source)
                    with open(dest, "wb") as handle:
                        shutil.copyfileobj(reader, handle, CHUNK)
                    found[name] = (reader.size, reader.sha256.hexdigest())
            while gz.read(CHUNK):  # to the end: gzip checks its CRC and length only there
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(damaged.format(exc)) from None
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
            raise BackupError(f"无法读取“{archive}”：{exc.strerror}。") from None
        raise BackupError(damaged.format(exc)) from None
    if MANIFEST not in found:
        raise BackupError("备份文件中没有 manifest.json：它不是 yuanqu backup 生成的备份，或已不完整。")
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"备份文件中的 manifest.json 无法读取（{exc}）：备份已损坏。") from None
    return manifest, found


def _well_formed(manifest: dict) -> bool:
    """The shapes the restore relies on (counts, migrations, files), as this command writes them."""
    files, counts, migrations = manifest.get("files"), manifest.get("counts"), manifest.get("migrations")
    return (
        isinstance(files, list) and all(
            isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("size"), int)
            and isinstance(e.get("sha256"), str) for e in files
        )
        and isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values())
        and isinstance(migrations, dict) and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()
        )
    )


def _check_manifest(manifest: dict, found: dict[str, tuple[int, str]], engine: str) -> None:
    if not isinstance(manifest, dict) or manifest.get("platform") != "yuanqu":
        raise BackupError("manifest.json 不是 yuanqu 的备份说明：这不是 yuanqu backup 生成的备份。")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本为 {manifest.get('format')}，当前平台只能恢复格式 {FORMAT}：请用相应版本的平台恢复。")
    if manifest.get("engine") != engine:
        source = ENGINE_NAMES.get(manifest.get("engine"), manifest.get("engine"))
        raise BackupError(
            f"备份来自 {source} 数据库，而恢复目标是 {ENGINE_NAMES[engine]}：请恢复到同类数据库"
            "（设置 DATABASE_URL，或不设置以使用数据目录中的 SQLite）。"
        )
    if not _well_formed(manifest) or manifest["database"] != DB_MEMBER[engine]:
        raise BackupError("manifest.json 的内容不完整或格式不对：备份已损坏，已拒绝恢复。")
    listed = {entry["name"]: entry for entry in manifest["files"]}
    if manifest["database"] not in listed:
        raise BackupError("manifest.json 中没有数据库文件的记录：备份已损坏，已拒绝恢复。")
    for name, entry in listed.items():
        if name not in found:
            raise BackupError(f"备份文件缺少“{name}”：备份不完整，已拒绝恢复。")
        size, digest = found[name]
        if size != entry.get("size") or digest != entry.get("sha256"):
            raise BackupError(f"“{name}”的校验和与 manifest.json 不符：备份已损坏，已拒绝恢复。")
    extra = sorted(set(found) - set(listed) - {MANIFEST})
    if extra:
        raise BackupError(f"备份文件中的“{extra[0]}”未列在 manifest.json 中：备份被改动过，已拒绝恢复。")
    known = code_migrations()
    newer = sorted(
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
        if (app, name) not in known
    )
    if newer:
        raise BackupError(
            f"备份来自较新版本的平台（{manifest.get('version')}，当前 {platform_version()}），其中的数据库迁移"
            f"{'、'.join(newer[:3])}{'等' if len(newer) > 3 else ''}在当前代码中没有：请先把平台升级到该版本再恢复。"
        )


def _restore_sqlite(staged: Path, database: dict) -> None:
    integrity = _sqlite_integrity(staged)
    if integrity != "ok":
        raise BackupError(f"备份中的数据库未通过完整性检查（{integrity}）：备份已损坏，未做任何恢复。")
    target = _sqlite_path(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # Written through SQLite's backup API in one step: one write transaction on the target, which also
    # takes care of any -wal file the target had; a target in use by a server is refused as locked.
    try:
        with closing(sqlite3.connect(staged)) as source, closing(sqlite3.connect(target, timeout=5)) as dest:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法写入数据库“{target}”（{exc}）：请先停止平台的服务和后台任务再恢复。") from None


def _restore_pg(staged: Path, database: dict) -> None:
    from psycopg import sql

    pg = _Pg(database)
    if shutil.which("pg_restore") is None:
        raise BackupError(f"找不到 pg_restore：{PG_CLIENT_HINT}")
    pg.run("pg_restore", "--list", str(staged))  # readable as a dump before anything is dropped
    with closing(pg.connect()) as conn, conn.cursor() as cur:
        for table in _pg_tables(cur):
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(table)))
        conn.commit()
    try:
        pg.run("pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
               f"--dbname={database['NAME']}", str(staged))
    except BackupError as exc:
        raise BackupError(f"{exc.message}（数据库中原有的表已删除，修正后可用 --force 重新恢复）") from None


def _swap_media(staged: Path, media_root: Path, old: Path) -> None:
    """Put the archive's files in place of the target's (the old ones kept in `old` until the end)."""
    media_root.mkdir(parents=True, exist_ok=True)
    old.mkdir()
    for entry in list(media_root.iterdir()):
        shutil.move(str(entry), old / entry.name)
    if staged.is_dir():
        for entry in list(staged.iterdir()):
            shutil.move(str(entry), media_root / entry.name)


def _verify(manifest: dict, database: dict, media_root: Path) -> None:
    engine = engine_of(database)
    if engine == "sqlite":
        with closing(sqlite3.connect(_sqlite_path(database))) as conn:
            counts = _sqlite_state(conn)[0]
    else:
        with closing(_Pg(database).connect()) as conn, conn.cursor() as cur:
            counts = _pg_state(cur)[0]
    for table, expected in manifest["counts"].items():
        if counts.get(table) != expected:
            raise BackupError(f"恢复后核对不一致：表 {table} 应有 {expected} 行，实际 {counts.get(table)} 行。")
    for entry in manifest["files"]:
        if entry["name"].startswith(f"{MEDIA}/"):
            path = media_root / entry["name"].split("/", 1)[1]
            if not path.is_file() or path.stat().st_size != entry["size"]:
                raise BackupError(f"恢复后核对不一致：附件 {path} 缺失或大小不符。")


def restore_backup(archive: Path, *, database: dict, media_root: Path, force: bool = False,
                   write: Write = print) -> RestoreResult:
    started = time.monotonic()
    engine = engine_of(database)
    if not archive.is_file():
        raise BackupError(f"备份文件“{archive}”不存在。")
    rows, files = target_contents(database, media_root)
    if (rows or files) and not force:
        held = []
        if rows:
            busiest = sorted(rows.items(), key=lambda item: -item[1])[:3]
            held.append(f"数据库已有数据（{'、'.join(f'{t} {n} 行' for t, n in busiest)}等）")
        if files:
            held.append(f"附件目录“{media_root}”已有 {files} 个文件")
        raise BackupError(
            f"恢复目标不是空的：{'，'.join(held)}。恢复会用备份替换它们：确认替换请加 --force；"
            "否则请恢复到新的数据目录（YUANQU_DATA_DIR）或空数据库。"
        )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".yuanqu-restore-") as work:
        staging = Path(work) / "archive"
        staging.mkdir()
        write(f"读取并校验备份 {archive}（{megabytes(archive.stat().st_size)}）…")
        manifest, found = _unpack(archive, staging, write)
        _check_manifest(manifest, found, engine)
        write(f"备份：平台 {manifest.get('version')}，{manifest.get('created')}，"
              f"{len(manifest['counts'])} 张表、{sum(manifest['counts'].values())} 行，"
              f"附件 {len(manifest['files']) - 1} 个。恢复数据库…")
        staged_db = staging / manifest["database"]
        if engine == "sqlite":
            _restore_sqlite(staged_db, database)
        else:
            _restore_pg(staged_db, database)
        write("恢复附件…")
        _swap_media(staging / MEDIA, media_root, Path(work) / "replaced-media")
        write("核对行数和附件…")
        _verify(manifest, database, media_root)
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    pending = sorted(f"{app}.{name}" for app, name in code_migrations() - applied)
    return RestoreResult(
        manifest=manifest, tables=len(manifest["counts"]), rows=sum(manifest["counts"].values()),
        files=len(manifest["files"]) - 1, seconds=time.monotonic() - started, pending_migrations=pending,
    )
