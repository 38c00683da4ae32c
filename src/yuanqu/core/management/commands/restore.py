"""`yuanqu restore ARCHIVE [--force]`: a backup back into the configured database and data folder.

Meant for a fresh data folder (or an empty PostgreSQL database): a target holding data is refused
unless --force. The archive is read and checked whole before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from yuanqu.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 yuanqu backup 生成的备份恢复数据库和附件到当前配置的数据库和数据目录（先停止服务和后台任务）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE.tar.gz", help="备份文件")
        parser.add_argument("--force", action="store_true", help="目标已有数据时仍然恢复（用备份替换现有数据和附件）")

    def handle(self, *args, **options):
        connections.close_all()  # the target is written by other connections; none of ours stays open on it
        try:
            result = restore_backup(
                Path(options["archive"]), database=connections["default"].settings_dict,
                media_root=Path(settings.MEDIA_ROOT), force=options["force"], write=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(exc.message, returncode=1) from None
        self.stdout.write(
            f"已恢复：{result.tables} 张表、{result.rows} 行，附件 {result.files} 个，行数和附件核对一致；"
            f"用时 {result.seconds:.1f} 秒。"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"备份的数据库结构比当前代码旧（缺 {len(result.pending_migrations)} 个迁移）："
                "请运行 yuanqu migrate 后再启动服务。"
            )
