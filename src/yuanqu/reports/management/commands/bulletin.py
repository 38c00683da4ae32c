"""`yuanqu bulletin --plan 2026 --month 2026-03 --out 通报.docx`: generate a month's 督查通报.

The bulletin is stored as a new draft version (as from the page) and its .docx, marked 草稿, is
written to --out; the 督查室 edits its wording and issues it on the bulletin page. Bad input ends
with a Chinese message and exit status 2, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.errors import ApplicationError
from yuanqu.core.parsing import MONTH_RE
from yuanqu.org.models import User
from yuanqu.plans.models import Plan
from yuanqu.reports.services import bulletin_content, bulletin_generate


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def plan_of_year(year: int) -> Plan:
    """The active plan of the year, else its latest closed one (drafts are not reported on)."""
    plans = Plan.objects.filter(year=year)
    plan = plans.filter(status=Plan.Status.ACTIVE).first() or plans.filter(status=Plan.Status.CLOSED).first()
    if plan is None:
        raise fail(f"{year}年没有已启用或已关闭的计划，无法生成通报。")
    return plan


def parse_month(text: str) -> dt.date:
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise fail(f"--month 应为 YYYY-MM 格式的月份，如 2026-03，收到“{text}”。")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


class Command(BaseCommand):
    help = "生成某月的督查通报草稿（.docx），保存为新版本并写到 --out 指定的文件；修改文字和印发在通报页面进行。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="计划年度，如 2026")
        parser.add_argument("--month", required=True, metavar="YYYY-MM", help="通报月份，如 2026-03")
        parser.add_argument("--out", required=True, metavar="FILE.docx", help="输出文件")
        parser.add_argument("--user", default=None, help="以该督查室或管理员账号的名义生成（默认：命令行）")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise fail(f"输出文件须以 .docx 结尾，收到“{out}”。")
        if out.exists() and out.is_dir():
            raise fail(f"输出路径“{out}”是一个目录。")
        if not out.parent.exists():
            raise fail(f"输出目录“{out.parent}”不存在。")
        month = parse_month(options["month"])
        plan = plan_of_year(options["plan"])
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).select_related("unit").first()
            if actor is None:
                raise fail(f"用户“{options['user']}”不存在或已停用。")
        try:
            bulletin = bulletin_generate(actor=actor, plan=plan, month=month)
        except ApplicationError as exc:
            raise fail(exc.message) from exc
        content = bulletin_content(bulletin)
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise fail(f"无法写入“{out}”：{exc.strerror or exc}（通报已保存为第{bulletin.version}版）") from exc
        summary = bulletin.summary
        self.stdout.write(
            f"已生成{bulletin}（{bulletin.issue_label}）：目标{summary['total']}项，已完成{summary['done']}项、"
            f"绿灯{summary['green']}项、黄灯{summary['yellow']}项、红灯{summary['red']}项、"
            f"未开始{summary['not_started']}项。文件：{out}"
        )
