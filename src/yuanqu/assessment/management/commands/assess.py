"""`yuanqu assess --plan YEAR [--on YYYY-MM-DD] [--format json]`: the year's assessment.

With --on (or --new) it computes a new run of the year's active scheme as of that date; without,
it shows the latest run, computing one as of today (or 31 December once the year is over) when
there is none yet. Output: each unit's rank, total, grade and score lines.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from yuanqu.assessment import engine, services
from yuanqu.assessment.models import Run, Scheme
from yuanqu.core.errors import ApplicationError


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def run_output(run: Run) -> dict:
    """The JSON document the command prints: the run, then each unit with its lines."""
    results = list(run.results.order_by("rank", "unit_name").prefetch_related("lines"))
    return {
        "year": run.scheme.year,
        "scheme": {"id": run.scheme_id, "name": run.scheme.name},
        "run": {"id": run.pk, "number": run.number, "on": run.on.isoformat(), "status": run.status,
                "status_label": run.get_status_display()},
        "notes": run.snapshot.get("notes", []),
        "units": [
            engine.result_to_dict(r, sorted(r.lines.all(), key=lambda ln: ln.order))
            for r in results
        ],
    }


class Command(BaseCommand):
    help = "年度目标管理绩效考核：测算（或查看最近一次测算）各单位的得分明细、总分、等次和名次。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="考核年度，如 2026")
        parser.add_argument("--on", default=None, help="考核截止日 YYYY-MM-DD：按该日重新测算，生成新的版次")
        parser.add_argument("--new", action="store_true", help="即使已有测算也重新测算（截止日默认今天或年末）")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")

    def handle(self, *args, **options):
        year = options["plan"]
        on = self.parse_on(options["on"])
        scheme = (
            Scheme.objects.filter(year=year, status=Scheme.Status.ACTIVE).first()
            or Scheme.objects.filter(year=year).order_by("-id").first()
        )
        if scheme is None:
            raise CommandError(f"{year}年没有考核方案，请先在“目标考核”页面新建并启用方案。", returncode=2)
        latest = scheme.runs.order_by("-number").first()
        if latest is None or on is not None or options["new"]:
            try:
                latest = services.run_compute(actor=None, scheme=scheme, on=on)
            except ApplicationError as exc:
                raise CommandError(exc.message, returncode=2) from exc
        data = run_output(Run.objects.select_related("scheme").get(pk=latest.pk))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.print_text(data)

    @staticmethod
    def parse_on(raw: str | None) -> dt.date | None:
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(f"--on “{raw}” 不是有效日期，应为 YYYY-MM-DD。", returncode=2) from None

    def print_text(self, data: dict) -> None:
        out = self.stdout.write
        run = data["run"]
        out(f"{data['scheme']['name']} 第{run['number']}版（截至{run['on']}，{run['status_label']}）")
        for note in data["notes"]:
            out(f"注意：{note}")
        rows = [["名次", "单位", "指标", "加分", "扣分", "总分", "等次"]]
        rows += [[str(u["rank"]), u["unit"], engine.fmt(u["indicator"]), engine.fmt(u["bonus"]),
                  engine.fmt(u["deduction"]), engine.fmt(u["total"]), u["grade"] + ("（否决）" if u["vetoed"] else "")]
                 for u in data["units"]]
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            out("  ".join(_pad(c, widths[i], right=i in {0, 2, 3, 4, 5}) for i, c in enumerate(row)).rstrip())
        for u in data["units"]:
            out("")
            out(f"【{u['rank']}】{u['unit']}  总分 {engine.fmt(u['total'])}  {u['grade']}")
            for line in u["lines"]:
                points = engine.fmt(line["points"]) if line["points"] else "—"
                out(f"  [{line['group']}] {line['description']}  {line['raw']}  {points}  {line['explanation']}")
