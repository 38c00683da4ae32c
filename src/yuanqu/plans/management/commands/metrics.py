import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core import clock
from yuanqu.core.metrics import all_metrics
from yuanqu.plans.services import metrics_snapshot


class Command(BaseCommand):
    help = "取数指标：list 列出已注册的指标；snapshot 记录所有绑定目标的本月取值（供 cron 每月末运行）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "snapshot"])
        parser.add_argument("--on", help="取数日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, action, on=None, **options):
        if action == "list":
            for m in all_metrics():
                params = "、".join(f"{p.name}（{p.label}）" for p in m.params) or "无"
                self.stdout.write(f"{m.name}\t{m.label}\t单位：{m.unit or '—'}\t参数：{params}\t{m.description}")
            return
        try:
            day = dt.date.fromisoformat(on) if on else clock.today()
        except ValueError:
            raise CommandError(f"日期“{on}”格式不正确，应为 YYYY-MM-DD。") from None
        count = metrics_snapshot(on=day)
        self.stdout.write(f"已记录 {count} 个绑定目标在 {day:%Y-%m} 的取值。")
