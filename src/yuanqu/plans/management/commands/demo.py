"""`yuanqu demo`: a fresh demo zone (units, users, this year's plan, reports) to look around in."""

from __future__ import annotations

import datetime as dt
import os
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.plans import demo, demo_large
from yuanqu.plans.status import Status

LARGE_NAMES = {"targets": "新增目标", "reports": "新增进度报告", "enterprises": "新增企业", "projects": "新增重大项目",
               "grid_events": "新增网格事件"}


def _width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]


class Command(BaseCommand):
    help = "生成演示数据：演示单位、各角色演示账号、本年度计划（种子计划原文）及数月的进度填报。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="计划年度（默认：--today 所在年度，即今年）")
        parser.add_argument(
            "--today", default=None,
            help="演示中的“今天”，YYYY-MM-DD（默认：今天；若 --year 不是今年，则取该年度的同月同日）。"
            "进度报告填到上个月，红黄绿灯按这一天计算",
        )
        parser.add_argument(
            "--size", choices=["default", "large"], default="default",
            help="large：在演示数据之上扩充到大园区规模（计划目标 1 万个及全年月报、企业 2 万家、重大项目 5 千个、"
            "网格事件 20 万件），用于性能测试，需数分钟",
        )
        parser.add_argument("--scale", type=float, default=1.0, help="--size large 的规模系数（如 0.01，用于测试）")

    def handle(self, *args, **options):
        started = time.monotonic()
        now = clock.today()
        today = self.parse_today(options["today"])
        year = options["year"] or (today or now).year
        today = today or demo.default_today(year, now)
        if not 0 < options["scale"] < 1000:
            raise CommandError(f"--scale “{options['scale']}” 应为大于 0、小于 1000 的数，例如 0.01。")
        try:
            result = demo.build_demo(year=year, today=today)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["size"] == "large":
            self.stdout.write(f"演示数据已生成（用时 {time.monotonic() - started:.1f} 秒），正在扩充到大园区规模……")
            size = demo_large.LARGE.scaled(options["scale"])
            added = demo_large.build(today=today, size=size, progress=self.progress)
            result.extensions.append("大规模数据（" + "，".join(f"{LARGE_NAMES[k]} {v}" for k, v in added.items()) + "）")
            result.counts = demo_large.light_counts()
        self.report(result, time.monotonic() - started)

    def progress(self, message: str) -> None:
        self.stdout.write("  " + message)
        self.stdout.flush()

    @staticmethod
    def parse_today(raw: str | None) -> dt.date | None:
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(f"--today “{raw}” 不是有效日期，应为 YYYY-MM-DD，例如 2026-08-15。") from None

    def report(self, result: demo.DemoResult, seconds: float) -> None:
        out = self.stdout.write
        plan = result.plan
        if result.removed:
            out("已删除旧的演示数据：" + "，".join(f"{k} {v} 个" for k, v in result.removed.items()) + "。")
        out(self.style.SUCCESS(f"演示数据已生成（用时 {seconds:.1f} 秒）。"))
        targets = sum(result.counts.values())
        out(f"计划 #{plan.pk}：{plan} —— {plan.get_status_display()}，目标 {targets} 个，"
            f"台账事项 {result.ledger_items} 个，进度报告 {result.reports} 份。")
        order = [Status.RED, Status.YELLOW, Status.GREEN, Status.DONE, Status.NOT_STARTED]
        out(f"截至 {result.today:%Y-%m-%d} 的状态：" + "，".join(f"{s.label} {result.counts[s]}" for s in order))
        if result.extensions:
            out("其他模块的演示数据：" + "、".join(result.extensions) + "。")
        out("")
        if os.environ.get(demo.PASSWORD_ENV):
            out(f"演示账号（密码均为环境变量 {demo.PASSWORD_ENV} 的值）：")
        else:
            out("演示账号（密码为本次随机生成，只显示这一次，请记下；重新运行 yuanqu demo 会重新生成）：")
        rows = [["用户名", "密码", "角色", "单位"]]
        rows += [
            [spec.username, result.passwords[spec.username], user.role_display(), user.unit_names()]
            for spec, user in result.users
        ]
        for line in table(rows):
            out("  " + line)
        out("")
        # `make demo` passes the address it serves on; run by hand, runserver's default.
        site = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
        out(f"启动：yuanqu runserver，然后打开 {site} 用上面的账号登录（admin 也可进入 {site}/admin/）。")
