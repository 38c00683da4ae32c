"""`yuanqu approvals recompute [--since YYYY-MM-DD]`: recompute the cases' stored working-day
clocks (due dates, durations, late) on the current work calendar. Edits made in the admin site's
work calendar do this by themselves; run it after loading calendar days another way (a script,
a restored backup) or after an upgrade of the chinese_calendar package."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yuanqu.approvals.services import cases_recompute


class Command(BaseCommand):
    help = "审批时效：按当前工作日历重新计算办件的承诺期限、用时和是否超期。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help="重新计算办件计时")
        recompute.add_argument("--since", default=None, help="只重算此日期（含）以后收件的办件，格式 YYYY-MM-DD")

    def handle(self, *args, **options):
        since = None
        if options.get("since"):
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"--since “{options['since']}”格式不正确，应为 YYYY-MM-DD。") from None
        changed = cases_recompute(since=since)
        self.stdout.write(f"已重新计算，{changed} 件办件的计时有变化。")
