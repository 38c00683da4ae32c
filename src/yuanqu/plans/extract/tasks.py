"""Task lists: numbered tasks with their deadline, lead and cooperating units, score and leader.

A 任务分解 / 责任分工 writes each task as a numbered item followed by its attributes:

    12．加快…平台建设，6月底前上线运行。（0.5分）（6月底完成，牵头考核单位：市政务服务局）
    （3）推进…（招商局牵头，经济发展局配合）
    1．完善…。牵头单位：经济发展局；配合单位：招商局、财政局。责任领导：张三

and a Word or Excel task table reaches us rendered the same way, one row per line.  A numbered
item (any heading level) whose own text — up to the next numbered item — names a lead unit, a
deadline or a leader is a task.  Its attributes hold for every target inside it; a target's
own time phrase (“7月底前完成项目前期手续”) overrides the task's.  A task in which no target was
found is itself one target, a milestone (the task must not be lost to supervision).

Attributes are read from labelled fields anywhere in the task (牵头单位：…, 完成时限：…) and,
inside parentheses, from the short forms (X牵头, X配合, X负责, 6月底完成, 持续推进, 0.5分); the
brackets after each sentence of a task add up ("…。（A负责）…。（B牵头，C按职责分工配合）").
A task with no deadline there is dated by a clause of its own wording that only dates a step
("…（招商局牵头），年底前完成。"; see _read_steps).  A date no calendar has or a score not in
figures is a problem to report (Task.problems), never dropped silently.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from . import deadlines
from ._text import QUOTED_RE, Spans, lstrip_pos, rstrip_pos

_MARK_WORDS = "牵头|配合|协办|负责"
_MARK_RE = re.compile(rf"[(（]({_MARK_WORDS})[)）]$")
# Field labels (after normalisation, so ":" stands for both widths).
_LEAD_LABEL = (r"牵头(?:考核|责任|主办)?(?:单位|部门)|责任(?:单位|部门)|主责(?:单位|部门)|主办(?:单位|部门)|"
               r"承办(?:单位|部门)|负责(?:单位|部门)|实施(?:单位|主体)|责任主体")
_COOP_LABEL = r"配合(?:单位|部门)|协办(?:单位|部门)|协助(?:单位|部门)|参与(?:单位|部门)|协同(?:单位|部门)|协作单位"
_LEADER_LABEL = r"(?:责任|分管|牵头|联系|包保|负责)领导|责任人"
_TIME_LABEL = r"完成(?:时限|时间|期限|节点)|时间节点|时限要求|时限|进度安排|完成时序"
_POINTS_LABEL = r"分值|分数|权重分"
# A label opens a field: at the start, or after a bracket or a separator ("办理时限" is prose).
_FIELD_RE = re.compile(
    rf"(?<![^\s(;,。:、])(?:(?P<lead>{_LEAD_LABEL})|(?P<coop>{_COOP_LABEL})|(?P<leader>{_LEADER_LABEL})"
    rf"|(?P<time>{_TIME_LABEL})|(?P<points>{_POINTS_LABEL}))\s*:\s*"
)
# A field's value runs to the next separator or field.
# "责任单位：区发改局（牵头）、区财政局" marks the lead inside the list: those brackets stay in.
_VALUE_END_RE = re.compile(rf"[;。\n\r]|(?<!牵头)(?<!配合)(?<!协办)(?<!负责)\)|\((?!(?:{_MARK_WORDS})\))|,\s*(?:{_LEAD_LABEL}|{_COOP_LABEL}|{_LEADER_LABEL}|{_TIME_LABEL}|{_POINTS_LABEL})")
_PAREN_RE = re.compile(r"\(([^()\n]{1,160})\)")
_POINTS_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,2})?)\s*分\s*$")
# A score written otherwise ("两分", "1.5.分"): a mistake to report, not prose.
_BAD_POINTS_RE = re.compile(r"^\s*[\d.零〇一二两三四五六七八九十半点]{1,6}\s*分\s*$")
# Short forms inside parentheses: "招商局牵头", "由社会事业局负责", "经济发展局配合".
_LEAD_SUFFIX_RE = re.compile(r"^由?(?P<names>.+?)(?:牵头负责|牵头|负责|主责|主办)$")
_COOP_SUFFIX_RE = re.compile(r"^(?P<names>.+?)(?:配合|协助|协办|协同|参与)$")
# A time phrase opening a part: a date, a period, or ongoing work.
_TIME_START_RE = re.compile(
    r"^(?:20\d\d\s*[年./-]|(?:1[0-2]|0?[1-9]|\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月|[一二三四1-4]\s*季度|"
    r"[上下]半年|年底|年末|年内|全年|今年|明年|持续|按进度|长期|常态化|每(?:月|季度|年|半年|周))"
)
# What may follow the date in a deadline part: "取得明显成效并持续推进", not "考评分值+下半年…".
_TIME_REST_MAX = 16
_TIME_REST_BAD_RE = re.compile(r"[\d+=×÷%]")


def _is_time_phrase(s: str) -> bool:
    if not _TIME_START_RE.match(s):
        return False
    d = deadlines.DEADLINE_RE.match(s) or deadlines.ONGOING_RE.match(s)
    rest = s[d.end():] if d else s
    return len(rest) <= _TIME_REST_MAX and not _TIME_REST_BAD_RE.search(rest)


_NAME_SPLIT_RE = re.compile(r"[、,，/]")
# "省商务厅按职责分工配合": the duty phrase is not part of the name.
_DUTY_RE = re.compile(r"(?:按照?(?:各自)?职责(?:分工)?|分别)$")
# A unit name is short and has no verb of action or time in it.
_NAME_MAX = 30
# "推进组/推进办" names a body ("省十大新兴产业推进组工作专班").
_NOT_A_NAME_RE = re.compile(r"[。;!?]|\d+\s*分|完成|推进(?![组办委])|实现|月底")


@dataclass(slots=True)
class Task:
    item: str
    start: int  # marker start
    body: int  # content start (after the marker)
    end: int  # own text end (next numbered item or the end)
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    leader: str | None = None
    points: int | float | None = None
    deadline_text: str | None = None
    # Attribute parentheses and fields: not part of the task's wording.
    attr_spans: list[tuple[int, int]] = field(default_factory=list)
    # Earlier dated steps of the task's own text ("6月底前开工" before "年底前建成").
    steps: list[str] = field(default_factory=list)
    # What the task writes wrongly (Chinese, for the person importing it).
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """"第3项" for "3．", "（3）", "三、"."""
        return f"第{self.item.strip(' .()、．（）')}项"

    @property
    def is_task(self) -> bool:
        return bool(self.lead_units or self.deadline_text or self.leader)

    @property
    def content_end(self) -> int:
        """Where the task's wording ends: before its first attribute."""
        return min([self.end, *(a for a, _ in self.attr_spans)])


def _names(raw: str) -> list[str]:
    out = []
    for part in _NAME_SPLIT_RE.split(raw):
        name = _DUTY_RE.sub("", part.strip(" \t\u3000")).strip(" \t\u3000").removesuffix("等")
        if name:
            out.append(name)
    return out


def _marked(names: list[str]) -> tuple[list[str], list[str]]:
    """(lead, cooperating) of a list where the lead is marked: "区发改局（牵头）、区财政局"."""
    marks = [_MARK_RE.search(n) for n in names]
    if not any(marks):
        return names, []
    lead = [n[:m.start()] for n, m in zip(names, marks, strict=True) if m and m.group(1) in ("牵头", "负责")]
    rest = [n[:m.start()] if m else n for n, m in zip(names, marks, strict=True)
            if not (m and m.group(1) in ("牵头", "负责"))]
    return (lead, rest) if lead else (rest, [])


def _unit_names(raw: str) -> list[str] | None:
    """The unit names of a short form, or None when the text does not read as names."""
    names = _names(raw)
    if not names or any(len(n) > _NAME_MAX or _NOT_A_NAME_RE.search(n) for n in names):
        return None
    return names


def _number(s: str) -> int | float:
    return float(s) if "." in s else int(s)


def _read_fields(task: Task, text: str, norm: str) -> None:
    for m in _FIELD_RE.finditer(norm, task.body, task.end):
        end_m = _VALUE_END_RE.search(norm, m.end(), task.end)
        v_end = end_m.start() if end_m else task.end
        value = text[m.end():rstrip_pos(text, m.end(), v_end)].strip()
        if not value:
            continue
        if m.group("lead") and task.lead_units and not task.cooperating_units:
            # "牵头单位：区发改局；责任单位：各街道": the units after the lead carry it out with it
            task.cooperating_units = _names(value)
        elif m.group("lead"):
            lead, coop = _marked(_names(value))
            task.lead_units = task.lead_units or lead
            task.cooperating_units = task.cooperating_units or coop
        elif m.group("coop"):
            task.cooperating_units = task.cooperating_units or _names(value)
        elif m.group("leader"):
            task.leader = task.leader or value
        elif m.group("time"):
            task.deadline_text = task.deadline_text or value
        else:
            p = re.match(r"\d{1,3}(?:\.\d{1,2})?", norm[m.end():v_end].strip())
            if p and task.points is None:
                task.points = _number(p.group())
            elif p is None:
                _bad_points(task, value)
        task.attr_spans.append((m.start(), v_end))


def _read_parens(task: Task, text: str, norm: str, quotes: Spans) -> None:
    for m in _PAREN_RE.finditer(norm, task.body, task.end):
        if quotes.containing(m.start()) >= 0:
            continue  # part of a title or a name: 《…行动计划（2021年）》
        inner_start = m.start(1)
        raw = norm[inner_start:m.end(1)]
        p = _POINTS_RE.match(raw)
        if p:
            if task.points is None:
                task.points = _number(p.group(1))
            task.attr_spans.append(m.span())
            continue
        if _BAD_POINTS_RE.match(raw):
            _bad_points(task, raw.strip())
            task.attr_spans.append(m.span())
            continue
        used = False
        lead_here = False
        pos = 0
        for part in re.split(r"[,;]", raw):
            a = inner_start + pos
            pos += len(part) + 1
            s = part.strip()
            if not s:
                continue
            if _FIELD_RE.search(s):
                used = True  # read by _read_fields
                continue
            if _is_time_phrase(s):
                if task.deadline_text is None:
                    lead = len(part) - len(part.lstrip())
                    task.deadline_text = text[a + lead:a + lead + len(s)]
                used = True
                continue
            lead_m = _LEAD_SUFFIX_RE.match(s)
            coop_m = None if lead_m else _COOP_SUFFIX_RE.match(s)
            got = lead_m or coop_m
            names = _unit_names(text[a:a + len(part)].strip()[got.start("names"):got.end("names")]) if got else None
            if names:
                # Each sentence of a task may name its own units ("…。（A负责）…。（B牵头，C配合）"):
                # the task's are all of them.  After a lead in the same brackets, "D负责" is D's
                # share of the work ("A牵头，D按职责分工负责"): D cooperates.
                if lead_m and not lead_here:
                    _add(task.lead_units, names)
                    lead_here = True
                else:
                    _add(task.cooperating_units, names)
                used = True
        if used:
            task.attr_spans.append(m.span())


def _bad_points(task: Task, raw: str) -> None:
    task.problems.append(f"{task.label}的分值“{raw}”不是数字：请写成阿拉伯数字（如“2分”“0.5分”）后重新导入")


# A clause of the task's own text that only dates a step: "年底前完成", "6月底前开工",
# "2027年9月30日前建成", "持续推进".  What follows the date is a few words with no number and
# no past ("今年以来" sets a scene).
_STEP_REST_RE = re.compile(r"^(?:之?前|以前|内|底前)?[^\d%]{0,10}$")
_STEP_PAST_RE = re.compile(r"以来|已|同比|比上年|较上年|期间|相比")
_ONGOING_REST_MAX = 4
# Steps that start work rather than finish it: the task's deadline is its last finishing step.
_START_STEP_RE = re.compile(r"开工|动工|开建|启动|进场|招标|立项|签约|开展前期|前期")
_CLAUSE_SPLIT_RE = re.compile(r"[,;。!?\n\r]")


def _step_phrase(s: str) -> bool:
    if not _TIME_START_RE.match(s):
        return False
    d = deadlines.DEADLINE_RE.match(s)
    if d is None:
        o = deadlines.ONGOING_RE.match(s)
        return o is not None and len(s) - o.end() <= _ONGOING_REST_MAX
    rest = s[d.end():]
    return _STEP_REST_RE.match(rest) is not None and not _STEP_PAST_RE.search(rest)


def _read_steps(task: Task, text: str, norm: str, quotes: Spans) -> None:
    """A task without a stated deadline takes the time phrase of its own text, before or after
    the wording ("…（招商局牵头），年底前完成。（3分）"): of several steps the last finishing one
    ("6月底前开工，年底前建成" → 年底前建成); the earlier ones are kept as steps."""
    found: list[str] = []
    pos = task.body
    for a, b in [*task.attr_spans, (task.end, task.end)]:
        if a > pos:
            start = pos
            for cut in [*(m.start() for m in _CLAUSE_SPLIT_RE.finditer(norm, pos, a)), a]:
                s0 = lstrip_pos(text, start, cut)
                s1 = rstrip_pos(text, s0, cut)
                if s1 > s0 and quotes.containing(s0) < 0 and _step_phrase(norm[s0:s1]):
                    found.append(text[s0:s1])
                start = cut + 1
        pos = max(pos, b)
    if not found:
        return
    finishing = [s for s in found if not _START_STEP_RE.search(s)]
    chosen = (finishing or found)[-1]
    task.deadline_text = chosen
    task.steps = [s for s in found if s != chosen]


def _add(units: list[str], names: list[str]) -> None:
    units.extend(n for n in names if n not in units)


def find_tasks(text: str, norm: str, markers: list[tuple[int, int, str, int]]) -> list[Task]:
    """Tasks among the numbered items; markers are (start, end, number as written, level rank —
    0 for 一、, larger below) of every heading candidate, sorted by start.

    A heading with attributes over lower items ("（一）招商引资（牵头单位：招商局）" then 1．2．…)
    is a group: its attributes go to the items at the bottom of it, each a task, filling what
    an item does not state itself."""
    n = len(text)
    quotes = Spans([m.span() for m in QUOTED_RE.finditer(norm)])
    items = []
    for i, (start, end, no, _rank) in enumerate(markers):
        stop = markers[i + 1][0] if i + 1 < len(markers) else n
        task = Task(item=no, start=start, body=lstrip_pos(text, end, stop), end=rstrip_pos(text, end, stop))
        _read_fields(task, text, norm)
        _read_parens(task, text, norm, quotes)
        task.attr_spans.sort()
        # Only an item already assigned is a task to date so: a scored rule or a prose item
        # ("1. 改造小区6个，年底前完成。") with a time clause does not become a task by it.
        if task.deadline_text is None and (task.lead_units or task.leader):
            _read_steps(task, text, norm, quotes)
        task.cooperating_units = [n for n in task.cooperating_units if n not in task.lead_units]
        task.attr_spans.sort()
        items.append(task)
    out = []
    groups: list[tuple[int, Task]] = []  # open groups: (rank, task)
    for i, task in enumerate(items):
        rank = markers[i][3]
        while groups and groups[-1][0] >= rank:
            groups.pop()
        leaf = i + 1 == len(items) or markers[i + 1][3] <= rank
        if not leaf:
            if task.is_task:
                groups.append((rank, task))
            continue
        for _, group in reversed(groups):
            _inherit(task, group)
        if task.is_task:
            out.append(task)
    return out


def _inherit(task: Task, group: Task) -> None:
    task.lead_units = task.lead_units or list(group.lead_units)
    task.cooperating_units = task.cooperating_units or list(group.cooperating_units)
    task.leader = task.leader or group.leader
    task.deadline_text = task.deadline_text or group.deadline_text


_CLAUSE_END_RE = re.compile(r"[,;。:!?\n]")
_LEAD_WORDS_RE = re.compile(r"^(?:确保|力争|争取|持续|继续|进一步|加快|全力|全面|积极|大力|着力|扎实|认真|切实)+")
_TASK_TEXT_MAX = 300


def _task_target(task: Task, text: str, norm: str) -> dict | None:
    """The task itself as a milestone: its wording (without the attributes) is the text."""
    a, b = task.body, rstrip_pos(text, task.body, task.content_end)
    b = min(b, a + _TASK_TEXT_MAX)
    if b - a < 2:
        return None
    cut = _CLAUSE_END_RE.search(norm, a, b)
    head = norm[a:cut.start() if cut else b]
    lead = _LEAD_WORDS_RE.match(head)
    ind_start = a + (lead.end() if lead else 0)
    indicator = text[ind_start:a + len(head)].strip() or None
    return {
        "section": None, "measure": None, "text": text[a:b], "indicator": indicator,
        "comparator": "=", "value": None, "value_max": None, "unit": None,
        "deadline_text": None, "kind": "milestone", "milestone": "完成", "start": a, "end": b,
    }


def apply_tasks(found: list[dict], tasks: list[Task], text: str, norm: str, task_targets: bool = True
                ) -> list[dict]:
    """Targets with their task's attributes, plus one target per task that had none; targets
    read from inside an attribute (（责任单位：…）) are dropped."""
    attr = sorted(s for t in tasks for s in t.attr_spans)
    starts = [t.start for t in tasks]
    def inside_attr(pos: int) -> bool:
        i = bisect_right(attr, (pos, float("inf"))) - 1
        return i >= 0 and attr[i][0] <= pos < attr[i][1]

    def task_of(pos: int) -> Task | None:
        i = bisect_right(starts, pos) - 1
        return tasks[i] if i >= 0 and pos < tasks[i].end else None

    out = [t for t in found if not inside_attr(t["start"])]
    seen: set[int] = set()
    for t in out:
        task = task_of(t["start"])
        t["task"] = task
        if task is not None:
            seen.add(id(task))
            if t["start"] < task.content_end < t["end"]:  # "项目5个（完成时限：…" ends at the bracket
                t["end"] = rstrip_pos(text, t["start"], task.content_end)
                t["text"] = text[t["start"]:t["end"]]
    for task in tasks if task_targets else ():
        if id(task) not in seen:
            t = _task_target(task, text, norm)
            if t is not None:
                t["task"] = task
                out.append(t)
    return out


def attributes(t: dict, year: int | None) -> dict:
    """The task-list keys of one target (its own time phrase first, then its task's)."""
    task: Task | None = t.pop("task", None)
    phrase = t.pop("deadline_text", None)
    if phrase is None and task is not None:
        phrase = task.deadline_text
    date = deadlines.resolve(phrase, year)
    if date is None and task is not None and phrase != task.deadline_text:
        date = deadlines.resolve(task.deadline_text, year)  # "全年" inside a task dated 6月底
    problems = list(task.problems) if task else []
    for p in (phrase, task.deadline_text if task else None):
        if deadlines.is_invalid(p):
            where = task.label if task else f"目标“{t['text'][:20]}”"
            msg = (f"{where}的完成时限“{p}”不是有效日期：请改为实有的月份或日期"
                   "（如“6月底”“2027年6月30日”）后重新导入")
            if msg not in problems:
                problems.append(msg)
    return {
        "item": task.item if task else None,
        "deadline": date,
        "deadline_text": phrase,
        "ongoing": deadlines.is_ongoing(phrase) or (task is not None and deadlines.is_ongoing(task.deadline_text)),
        "lead_units": list(task.lead_units) if task else [],
        "cooperating_units": list(task.cooperating_units) if task else [],
        "points": task.points if task else None,
        "leader": task.leader if task else None,
        # earlier dated steps of the task ("6月底前开工"), each with its date
        "steps": [{"text": x, "deadline": deadlines.resolve(x, year)} for x in task.steps] if task else [],
        "problems": problems,
    }
