"""Sections and measures: the numbered headings of a plan.

Numbering levels, highest first:

    A  一、        B  （一） / (一)     C  1. / 1、
    D  （1）        E  一是 / 二是       F  ① ②

The highest level present (A–D) gives the sections; inside each section the
highest lower level that forms a run 1, 2, 3 … gives the measures.  A heading
candidate only counts when its number continues the run, which drops stray
matches such as a "一、" that is really part of a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ._text import lstrip_pos, normalise, rstrip_pos, small_cn_int

_CN = "[一二三四五六七八九十]{1,3}"
# A heading starts a line or follows a sentence end (sections need not be on new lines).
_BOL = r"(?:^|(?<=[\n\r。;:!?]))[ \t]*"
# 一是 / 二是 run inline, so a comma may precede them too.
_BOL_INLINE = r"(?:^|(?<=[\n\r。;:!?,]))[ \t]*"

# (level, pattern): group "mk" is the marker as written, "num" its number.
LEVELS: list[tuple[str, re.Pattern]] = [
    # 一、 / 一. ("." never followed by a digit, which would read as a decimal)
    ("A", re.compile(_BOL + rf"(?P<mk>(?P<num>{_CN})(?:、|\.(?!\d)))", re.M)),
    # （一） / (一) — after normalisation both are "(一)"
    ("B", re.compile(_BOL + rf"(?P<mk>\((?P<num>{_CN})\))", re.M)),
    # 1. / 1、 — the look-ahead keeps decimals such as 3.5 out
    # "3.9月底前…" is item 3 due by September, not the number 3.9: a month never follows a decimal.
    ("C", re.compile(_BOL + r"(?P<mk>(?P<num>\d{1,2})(?:、|\.(?!\d)|\.(?=\d{1,2}月)))", re.M)),
    # （1） / (1)
    ("D", re.compile(_BOL + r"(?P<mk>\((?P<num>\d{1,2})\))", re.M)),
    # 一是 / 二是 …
    ("E", re.compile(_BOL_INLINE + rf"(?P<mk>(?P<num>{_CN})是)", re.M)),
    # ① ② …
    ("F", re.compile(_BOL_INLINE + r"(?P<mk>(?P<num>[\u2460-\u2473]))", re.M)),
]
SECTION_LEVELS = ("A", "B", "C", "D")
_INLINE_LEVELS = ("E", "F")

# Titles and heads stop at a sentence end or a colon ("一、主要预期目标：…").
_TITLE_END_RE = re.compile(r"[。\n\r;:!?]")
_TITLE_MAX = 80
_COMMA_RE = re.compile(r"[,，]")


@dataclass(slots=True)
class Heading:
    level: str
    num: int
    mk_start: int
    mk_end: int


@dataclass(slots=True)
class Block:
    """A section or a measure: marker, title/head and body span."""

    no: str
    marker: str
    title: str
    start: int
    end: int
    mk_end: int
    section: str | None = None  # measures only


def _number(level: str, raw: str) -> int | None:
    if level == "F":
        return ord(raw) - 0x2460 + 1
    return small_cn_int(raw)


# "11.121人才梯队项目": an item whose words begin with digits reads like a decimal; it is the item
# only where the numbering around it asks for it (10. before, 12. after).
_DIGIT_TITLE_RE = re.compile(_BOL + r"(?P<mk>(?P<num>\d{1,2})\.)(?=\d)", re.M)


def find_candidates(norm: str) -> dict[str, list[Heading]]:
    out: dict[str, list[Heading]] = {}
    for level, pattern in LEVELS:
        found = []
        for m in pattern.finditer(norm):
            n = _number(level, m.group("num"))
            if n:
                found.append(Heading(level, n, m.start("mk"), m.end("mk")))
        out[level] = found
    items = out["C"]
    starts = [h.mk_start for h in items]
    extra = []
    for m in _DIGIT_TITLE_RE.finditer(norm):
        n = int(m.group("num"))
        i = bisect_left(starts, m.start("mk"))
        if 0 < i < len(items) and items[i - 1].num == n - 1 and items[i].num == n + 1:
            extra.append(Heading("C", n, m.start("mk"), m.end("mk")))
    if extra:
        out["C"] = sorted(items + extra, key=lambda h: h.mk_start)
    return out


def _run(cands: list[Heading], restart: bool, last: int = 0) -> list[Heading]:
    """Keep candidates whose numbers continue last+1, last+2 …; top level may restart at 1."""
    kept: list[Heading] = []
    for h in cands:
        if h.num == last + 1 or (restart and h.num == 1 and last >= 2):
            kept.append(h)
            last = h.num
    return kept


def _excerpt_run(norm: str, cands: dict[str, list[Heading]], lower: tuple[str, ...], level: str
                 ) -> list[Heading]:
    """A top level whose numbering does not start at 1 — an excerpt such as a 政府工作报告's
    "二、2025年政府工作任务" with the work in （一）…（十） below it.  The first heading must open a
    line, and the level is kept only when it holds a run of lower items (else those are the
    sections, as when no higher level is written)."""
    at_line = [h for h in cands[level] if not norm[norm.rfind("\n", 0, h.mk_start) + 1:h.mk_start].strip()]
    if not at_line:
        return []
    run = [at_line[0]]
    for h in cands[level]:
        if h.mk_start > run[-1].mk_start and h.num == run[-1].num + 1:
            run.append(h)
    for lv in lower:
        before = [h for h in cands[lv] if h.mk_start < run[0].mk_start]
        if len(_run(before, restart=False)) >= 2:
            return []  # the lower level runs before it too: that level is the sections
        inside = [h for h in cands[lv] if h.mk_start > run[0].mk_start]
        if len(_run(inside, restart=False)) >= _EXCERPT_MIN_ITEMS:
            return run
    return []


_EXCERPT_MIN_ITEMS = 3


class _Index:
    """Candidates of one level with their start offsets, for range slicing."""

    def __init__(self, cands: list[Heading]):
        self.cands = cands
        self.starts = [h.mk_start for h in cands]

    def between(self, lo: int, hi: int) -> list[Heading]:
        return self.cands[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]


def _label(text: str, norm: str, start: int, limit: int) -> str:
    """Title/head after a marker: up to the sentence end, trimmed."""
    start = lstrip_pos(text, start, limit)
    m = _TITLE_END_RE.search(norm, start, min(limit, start + _TITLE_MAX))
    end = m.start() if m else min(limit, start + _TITLE_MAX)
    return text[start:rstrip_pos(text, start, end)].strip(" \t,")


_OPENERS, _CLOSERS = "(（[【《“", ")）]】》”"


def close_head(head: str) -> str:
    """A head cut at a comma or a colon may stop inside brackets ("…15亿元（牵头单位"): it
    ends before the first bracket left open."""
    stack: list[int] = []
    for i, ch in enumerate(head):
        if ch in _OPENERS:
            stack.append(i)
        elif ch in _CLOSERS and stack:
            stack.pop()
    return head[:stack[0]].rstrip(" \t,，、") if stack else head


def parse_structure(text: str, norm: str, cands: dict[str, list[Heading]] | None = None
                    ) -> tuple[list[Block], list[Block], str | None]:
    """Return (sections, measures, top level name) — empty sections when none are found."""
    if cands is None:
        cands = find_candidates(norm)
    top = None
    tops: list[Heading] = []
    for i, level in enumerate(SECTION_LEVELS):
        tops = _run(cands[level], restart=True) or _excerpt_run(norm, cands, SECTION_LEVELS[i + 1:], level)
        if tops:
            top = level
            break
    if not tops:
        return [], [], None

    lower = [lv for lv, _ in LEVELS]
    lower = lower[lower.index(top) + 1:]
    indexes = {lv: _Index(cands[lv]) for lv in lower}

    n = len(text)
    sections: list[Block] = []
    measures: list[Block] = []
    numbered_on: dict[str, int] = {}  # a task list numbers its items on across sections
    for i, h in enumerate(tops):
        hi = tops[i + 1].mk_start if i + 1 < len(tops) else n
        end = rstrip_pos(text, h.mk_start, hi)
        marker = text[h.mk_start:h.mk_end]
        bare = norm[h.mk_start:h.mk_end].strip("()、.")  # "（一）" → "一", "1." → "1"
        title = _label(text, norm, h.mk_end, end)
        sec = Block(no=bare, marker=marker, title=title, start=h.mk_start, end=end, mk_end=h.mk_end)
        sections.append(sec)

        chosen = None
        for lv in lower:
            # inline enumerations (一是…, ①…) may start again in a later paragraph
            items = indexes[lv].between(h.mk_end, end)
            run = _run(items, restart=lv in _INLINE_LEVELS)
            if not run and numbered_on.get(lv):
                run = _run(items, restart=False, last=numbered_on[lv])
            if not run:
                continue
            numbered_on[lv] = run[-1].num
            if chosen is not None:
                # a level below the measures numbers on too: "（一）1．2．（二）3．" then "三、4．5．"
                continue
            chosen = lv
            for j, mh in enumerate(run):
                m_hi = run[j + 1].mk_start if j + 1 < len(run) else end
                m_end = rstrip_pos(text, mh.mk_start, m_hi)
                head = _label(text, norm, mh.mk_end, m_end)
                if head:  # LABELS: a measure's head is its first clause
                    cut = _COMMA_RE.search(head)
                    if cut:
                        head = head[:cut.start()]
                    head = close_head(head)
                measures.append(Block(
                    no=text[mh.mk_start:mh.mk_end].strip(), marker=text[mh.mk_start:mh.mk_end],
                    title=head, start=mh.mk_start, end=m_end, mk_end=mh.mk_end, section=bare,
                ))
    return sections, measures, top


# ---------------------------------------------------------------- title ----

# A title line names a plan: "三和片区2027年重点工作安排", "金乡县2021年国民经济和社会发展计划".
_TITLE_WORD = (r"计划|要点|安排|方案|办法|报告|清单|任务|分工|意见|细则|打算|思路|规划|指标|"
               r"任务书|责任书|台账|[分解任务计划一览清单指标]表")
_TITLE_RE = re.compile(rf"(?:{_TITLE_WORD})(?:\((?:草案|试行|征求意见稿)\))?$")
_TITLE_YEAR_RE = re.compile(r"(20\d\d)\s*年")
_TITLE_RANGE_RE = re.compile(r"20\d\d\s*(?:年)?\s*[-—–~至到]+\s*20\d\d")
_TITLE_SCAN = 3000
_TITLE_LEN = (6, 60)
# A notice about the plan is not its title ("关于印发《…》的通知").
_NOT_TITLE_RE = re.compile(r"^关于|通知$|[。;!?,]|^附件")


def find_title(text: str, norm: str, limit: int) -> tuple[str | None, int | None, bool]:
    """The plan's title line before the first section, the one year it names (None when it names
    none or a span such as 2021—2023年), and whether it names a span."""
    first = None
    pos = 0
    limit = min(limit, _TITLE_SCAN)
    while pos < limit:
        nl = norm.find("\n", pos)
        end = nl if nl != -1 and nl < len(norm) else len(norm)
        line = norm[pos:end].strip(" \t\r【】[]")
        if (_TITLE_LEN[0] <= len(line) <= _TITLE_LEN[1] and _TITLE_RE.search(line)
                and not _NOT_TITLE_RE.search(line)):
            a = norm.find(line, pos, end)
            title = text[a:a + len(line)]
            years = _TITLE_YEAR_RE.findall(line)
            if _TITLE_RANGE_RE.search(line):
                return title, None, True
            if years:
                return title, int(years[0]), False
            first = first or title
        if nl == -1:
            break
        pos = nl + 1
    return first, None, False


# ---------------------------------------------------------------- parts ----

# An annex opens with a line of its own: "附件", "附件2：", "附件1 重点任务分解表".
_ANNEX_RE = re.compile(r"^[ \t]*附件\s*\d{0,2}\s*:?[^\n。]{0,40}$", re.M)
# The main part is named after the kind of document its title says it is.
_GENRE_RE = re.compile(r"(办法|方案|计划|要点|安排|意见|细则|报告|规划)(?:\((?:草案|试行)\))?$")


def find_parts(text: str, norm: str, sections: list[Block], title: str | None) -> list[str | None]:
    """The part of each section: None when the plan has one part; else the main part is named
    after its genre (办法, 方案 … else 正文) and each annex "附件" (its numeral restarting)."""
    parts: list[str | None] = [None] * len(sections)
    annexes = [m.start() for m in _ANNEX_RE.finditer(norm)]
    if not annexes or not sections:
        return parts
    genre = _GENRE_RE.search(normalise(title)) if title else None
    main = genre.group(1) if genre else "正文"
    starts = [s.start for s in sections]
    split = False
    for a in annexes:
        i = bisect_left(starts, a)
        if 0 < i < len(sections) and sections[i].no == sections[0].no:  # numbering restarts
            for j in range(i):
                parts[j] = parts[j] or main
            for j in range(i, len(sections)):
                parts[j] = "附件"
            split = True
    return parts if split else [None] * len(sections)


# ---------------------------------------------------------------- tasks ----

def task_markers(text: str, norm: str, cands: dict[str, list[Heading]]) -> list[tuple[int, int, str, int]]:
    """(start, end, number without punctuation, level rank) of every numbered item that may be a
    task."""
    out = [(h.mk_start, h.mk_end, norm[h.mk_start:h.mk_end].strip("()、. \t"), rank)
           for rank, level in enumerate(SECTION_LEVELS) for h in cands[level]]
    out.sort()
    return out
