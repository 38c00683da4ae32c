"""`yuanqu plan extract FILE` and `yuanqu plan import FILE [--year YYYY]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.errors import ApplicationError
from yuanqu.plans import services
from yuanqu.plans.models import Measure

# The fields `plan extract` prints, in this order; the extractor's other keys stay inside.
SECTION_KEYS = ["no", "title"]
MEASURE_KEYS = ["section", "no", "head"]
TARGET_KEYS = [
    "section", "measure", "text", "indicator", "comparator", "value", "value_max", "unit", "deadline", "kind",
    "item", "deadline_text", "ongoing", "lead_units", "cooperating_units", "points", "leader", "steps",
]
SPAN_KEYS = ["start", "end"]
FILE_HELP = "计划原文文件：文本（UTF-8 或 GB18030/GBK）、Word（.docx/.doc）、电子表格（.xlsx）或有文字层的 PDF"


def extract_output(draft: dict, *, with_spans: bool = False) -> dict:
    """The extractor's result cut down to the documented JSON shape."""
    extra = SPAN_KEYS if with_spans else []

    def pick(rows: list[dict], keys: list[str]) -> list[dict]:
        return [{k: row.get(k) for k in keys + extra} for row in rows]

    return {
        "sections": pick(draft["sections"], SECTION_KEYS),
        "measures": pick(draft["measures"], MEASURE_KEYS),
        "targets": pick(draft["targets"], TARGET_KEYS),
        "title": draft.get("title"),
        "year": draft.get("year"),
        "problems": draft.get("problems", []),
    }


def read_text(path: str) -> str:
    """The plan file's text under the same rules as an upload on the plan page (size; text in UTF-8
    or GB18030/GBK, Word, a workbook, a PDF), or a CommandError (exit status 2) with the Chinese message."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"找不到计划文件：{path}", returncode=2) from None
    except IsADirectoryError:
        raise CommandError(f"“{path}”是目录，请给出计划原文文件", returncode=2) from None
    except OSError as exc:
        raise CommandError(f"无法读取计划文件：{path}（{exc.strerror or exc}）", returncode=2) from None
    try:
        return services.plan_file_text(data, Path(path).name)
    except ApplicationError as exc:
        raise CommandError(exc.message, returncode=2) from exc


class Command(BaseCommand):
    help = "年度计划原文：抽取结构（extract）或导入为草稿计划（import）。"
    # `extract` must work without a database; the checks add nothing for either action.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{extract,import}")

        extract = actions.add_parser("extract", help="抽取章节、举措和量化目标，输出 JSON（不写数据库）")
        extract.add_argument("file", help=FILE_HELP)
        extract.add_argument("--format", choices=["json"], default="json", help="输出格式（目前只有 json）")
        extract.add_argument("--with-spans", action="store_true", help="保留每项在原文中的起止位置 start/end")
        extract.add_argument("--year", type=int, default=None,
                             help="计划年度，用于把“6月底”等时限换算为日期（默认取原文标题中的年份）")

        imp = actions.add_parser("import", help="把计划原文导入为草稿计划，供督查室审阅")
        imp.add_argument("file", help=FILE_HELP)
        imp.add_argument("--year", type=int, default=None, help="计划年度，如 2026（默认：原文标题写明的年度）")
        imp.add_argument("--title", default=None, help="计划标题（默认：原文的标题，没有则“YYYY年度工作计划”）")

    def handle(self, *args, **options):
        if options["action"] == "extract":
            self.extract(options)
        else:
            self.import_plan(options)

    def extract(self, options) -> None:
        from yuanqu.plans.extract import PlanTextError, extract

        text = read_text(options["file"])
        try:
            draft = extract(text, year=options["year"])
        except PlanTextError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        result = extract_output(draft, with_spans=options["with_spans"])
        self.write_utf8(json.dumps(result, ensure_ascii=False, indent=1))

    def write_utf8(self, text: str) -> None:
        """Write UTF-8 whatever the terminal's locale says (a C locale would choke on Chinese)."""
        out = self.stdout._out
        if out is sys.stdout and (out.encoding or "").lower().replace("-", "") != "utf8" and hasattr(out, "buffer"):
            out.flush()
            out.buffer.write((text + "\n").encode("utf-8"))
            out.buffer.flush()
        else:
            self.stdout.write(text)

    def import_plan(self, options) -> None:
        text = read_text(options["file"])
        try:
            plan = services.plan_import_text(actor=None, text=text, year=options["year"], title=options["title"])
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        sections = plan.sections.count()
        measures = Measure.objects.filter(section__plan=plan).count()
        targets = plan.targets.alive().count()
        self.stdout.write(
            f"已导入草稿计划 #{plan.pk}（{plan.year}年 {plan.title}）：章节 {sections} 个，举措 {measures} 个，"
            f"目标 {targets} 个。"
        )
        unmapped = {n for t in plan.targets.alive().only("as_written") for n in t.unmapped_units}
        if unmapped:
            self.stdout.write(f"有 {len(unmapped)} 个单位名称未能对应到单位（如“{sorted(unmapped)[0]}”），请在审阅页对应。")
        self.stdout.write(f"请审阅后启用：/plans/{plan.pk}/review/")
