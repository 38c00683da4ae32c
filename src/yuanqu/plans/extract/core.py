"""extract(): plan text → draft sections, measures and targets (pure Python, no Django)."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from ._text import normalise, rstrip_pos
from .errors import PlanTextError
from .structure import close_head, find_candidates, find_parts, find_title, parse_structure, task_markers
from .targets import find_targets, plan_year
from .tasks import find_tasks


def extract(text: str, year: int | None = None, *, task_targets: bool = True) -> dict:
    """Read a plan; offsets in the result index `text` itself (text[start:end] is the span).

    `year` is the plan's year (deadlines such as 6月底 are dated in it); None reads it from the
    text (its title line, else the year its opening names).  With task_targets a numbered task in
    which no target was found is a milestone target of its own (see tasks)."""
    if not isinstance(text, str):
        raise TypeError("extract() expects str; decode bytes first (see read_plan_file)")
    if not text.strip():
        raise PlanTextError("计划文本为空")
    norm = normalise(text)
    cands = find_candidates(norm)
    sections, measures, _top = parse_structure(text, norm, cands)
    first = sections[0].start if sections else len(text)
    title, title_year, span = find_title(text, norm, first)
    if year is None and not span:  # a plan for 2026—2028 has no one year to date 6月底 in
        year = title_year or plan_year(norm)
    parts = find_parts(text, norm, sections, title)
    # Every heading-like marker opens a clause; target spans start after it.
    marker_ends = {}
    for level in cands.values():
        for h in level:
            marker_ends[h.mk_start] = h.mk_end
    tasks = find_tasks(text, norm, task_markers(text, norm, cands))
    targets = find_targets(text, norm, sections, measures, marker_ends, year=year, tasks=tasks,
                           task_targets=task_targets)
    if not sections and not targets:
        raise PlanTextError(
            "未识别到任何章节或目标：请确认正文使用“一、”“（一）”“1.”等编号作为章节标题"
        )
    # A task's head is its wording: its attribute brackets ("（区招商局牵头）") are not part of it.
    task_at = {t.start: t for t in tasks}
    for m in measures:
        task = task_at.get(m.start)
        if task is not None and m.title:
            a = text.find(m.title, m.mk_end)
            if 0 <= a < task.content_end < a + len(m.title):
                m.title = close_head(text[a:rstrip_pos(text, a, task.content_end)].rstrip(" \t,，、"))
    problems: list[str] = []
    for p in [*(p for t in targets for p in t["problems"]), *(p for t in tasks for p in t.problems)]:
        if p not in problems:
            problems.append(p)
    starts = [s.start for s in sections]

    def part_at(pos: int) -> str | None:
        i = bisect_right(starts, pos) - 1
        return parts[i] if i >= 0 and pos < sections[i].end else None

    return {
        "title": title,
        "year": year,
        "sections": [
            {"no": s.no, "title": s.title, "marker": s.marker, "part": parts[i],
             "start": s.start, "end": s.end}
            for i, s in enumerate(sections)
        ],
        "measures": [
            {"section": m.section, "no": m.no, "head": m.title, "part": part_at(m.start),
             "start": m.start, "end": m.end}
            for m in measures
        ],
        "targets": [{**t, "part": part_at(t["start"])} for t in targets],
        # What the text writes wrongly (a date no calendar has, a score not in figures), in
        # Chinese naming the task: an import must refuse the text until it is put right.
        "problems": problems,
    }


def read_plan_file(path) -> str:
    """The text of a plan file: UTF-8 (a BOM is dropped); errors in Chinese."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise PlanTextError(f"找不到计划文件：{path}") from None
    except IsADirectoryError:
        raise PlanTextError(f"“{path}”是目录，请给出计划原文文件") from None
    except OSError as exc:
        raise PlanTextError(f"无法读取计划文件：{path}（{exc.strerror or exc}）") from None
    return decode_plan_bytes(data, str(path))


def decode_plan_bytes(data: bytes, name: str) -> str:
    """The text of a plan file's bytes (an upload or a file): UTF-8, a BOM dropped; errors in
    Chinese naming `name`."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[bom:]
    if not data:
        raise PlanTextError("计划文件为空")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanTextError(
            f"文件不是 UTF-8 编码的文本：{name}（第 {exc.start + bom + 1} 个字节无法解码，"
            "请另存为 UTF-8 后重试）"
        ) from None
