"""`yuanqu backup [--out DIR|FILE.tar.gz] [--keep N]`: the database and every stored file in one archive.

Safe while the platform runs and writes (SQLite's online backup API; pg_dump's snapshot). The archive
is written beside its final name and renamed into place, mode 600: a backup is whole or absent.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from yuanqu.core.backups import ARCHIVE_SUFFIX, BackupError, create_backup, default_name, megabytes, prune


class Command(BaseCommand):
    help = "备份数据库和全部附件（报告附件、通报、调整依据、督办佐证等）到一个 .tar.gz 文件；平台运行时也可备份。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", default=None, metavar="DIR|FILE.tar.gz",
            help="备份目录（文件按时间命名，如 yuanqu-20260315-020000.tar.gz）或文件名；默认为数据目录下的 backups",
        )
        parser.add_argument("--keep", type=int, default=None, metavar="N",
                            help="备份到目录时，只保留该目录中最新的 N 份（删除更早的）")

    def handle(self, *args, **options):
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。", returncode=2)
        out = Path(options["out"]) if options["out"] else settings.DATA_DIR / "backups"
        into_folder = out.is_dir() or options["out"] is None or str(options["out"]).endswith(("/", "\\"))
        if into_folder:
            if options["out"] is None:
                out.mkdir(mode=0o700, exist_ok=True)
            if not out.is_dir():
                raise CommandError(f"备份目录“{out}”不存在：请先创建。", returncode=2)
            out = out / default_name(timezone.localtime())
        elif not out.name.endswith(ARCHIVE_SUFFIX):
            raise CommandError(f"备份文件名须以 {ARCHIVE_SUFFIX} 结尾，收到“{out}”。", returncode=2)
        elif keep is not None:
            raise CommandError("--keep 只能与备份目录一起使用。", returncode=2)
        try:
            result = create_backup(
                out, database=connections["default"].settings_dict, media_root=Path(settings.MEDIA_ROOT),
                write=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(exc.message, returncode=1) from None
        self.stdout.write(
            f"已备份到 {result.path}（{megabytes(result.size)}）：数据库 {megabytes(result.database_size)}，"
            f"{result.tables} 张表、{result.rows} 行；附件 {result.files} 个（{megabytes(result.media_size)}）；"
            f"用时 {result.seconds:.1f} 秒。"
        )
        if into_folder and keep:
            for path in prune(out.parent, keep):
                self.stdout.write(f"已删除较早的备份 {path.name}")
