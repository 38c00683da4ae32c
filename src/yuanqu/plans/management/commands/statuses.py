"""`yuanqu statuses [--check] [--today YYYY-MM-DD]`: the stored lights (plans.stored).

Without --check (the daily job, run by cron after midnight: 序时进度 moves every day) it brings
every target's light and month-end lights up to date, writing only what differs; rerunning it
changes nothing. With --check it recomputes everything and lists each stored light that differs
(there must be none); it then fails, so a monitor can alert.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yuanqu.core import clock
from yuanqu.plans import stored


class Command(BaseCommand):
    help = "目标状态（红黄绿灯）：按当天刷新存储的今日状态和各月末状态（每日运行，可重复运行）；--check 重算并核对。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="核对：先重读绑定登记簿指标的目标（列表页最多每分钟重读一次），再重算全部状态并列出与存储不一致的")
        parser.add_argument("--today", default=None, help="按哪一天计算（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, check=False, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else clock.today()
        except ValueError:
            raise CommandError(f"--today “{today}”格式不正确，应为 YYYY-MM-DD。") from None
        if check:
            differences = stored.check(day)
            for d in differences[:200]:
                self.stdout.write(str(d))
            if differences:
                raise CommandError(f"有 {len(differences)} 处存储的状态与重算结果不一致（{day:%Y-%m-%d}）。")
            self.stdout.write(f"核对完毕（{day:%Y-%m-%d}）：存储的状态与重算结果一致。")
            return
        with transaction.atomic():
            total, changed = stored.refresh_all(day)
        self.stdout.write(f"已刷新 {total} 个目标在 {day:%Y-%m-%d} 的状态，其中 {changed} 个有变化。")
