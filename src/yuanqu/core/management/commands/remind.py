"""`yuanqu remind [--today YYYY-MM-DD] [--days-ahead N]`: daily reminders (run from cron): every
source the apps register in core.reminders."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core import clock
from yuanqu.core.reminders import run_all


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today “{text}”格式不正确，应为 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "发送站内提醒：督办事项即将到期、已逾期，上月进度未填报，招商线索下一步工作逾期等（可重复运行，不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, help="按哪一天计算（默认今天），格式 YYYY-MM-DD")
        parser.add_argument("--days-ahead", type=int, default=3, help="提前几天提醒即将到期的事项（默认 3）")

    def handle(self, *args, **options):
        today = _date(options["today"]) if options["today"] else clock.today()
        days = options["days_ahead"]
        if days < 0:
            raise CommandError("--days-ahead 不能为负数。")
        tallies = run_all(today=today, days_ahead=days)
        for label, t in tallies:
            self.stdout.write(f"{label}：新建 {t.created} 条，已提醒过 {t.skipped} 条，失败 {t.failed} 项")
            for error in t.errors:
                self.stderr.write(f"  {label}失败：{error}")
        created = sum(t.created for _, t in tallies)
        skipped = sum(t.skipped for _, t in tallies)
        failed = sum(t.failed for _, t in tallies)
        self.stdout.write(f"合计（{today:%Y-%m-%d}）：新建 {created} 条，跳过 {skipped} 条，失败 {failed} 项")
        if failed:
            raise CommandError(f"有 {failed} 项提醒未能发送，详见上方错误信息。")
