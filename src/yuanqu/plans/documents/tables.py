"""Task tables (任务分解表/责任分工表) read as task lists: the header row, the column mapping, and the
rows rendered into the plan text the extractor reads.

The canonical text, one line per group and per task:

    一、{group}
    {no}．{task}（完成时限：{deadline}）（牵头单位：{lead}；配合单位：{coop}）（责任领导：{leader}）（{points}分）
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import cn2an

from yuanqu.core.errors import ApplicationError

# The fields a column can carry, in the order the page offers them (Chinese labels are shown).
FIELDS: dict[str, str] = {
    "no": "序号",
    "group": "分组（章节）",
    "task": "任务内容",
    "target": "具体目标",
    "deadline": "完成时限",
    "lead": "牵头单位",
    "coop": "配合单位",
    "leader": "责任领导",
    "points": "分值",
}

# A header cell names the first field one of whose words it contains; the order settles overlaps
# (牵头领导 is a leader, not a lead unit; 目标任务 and 工作内容 are the task).
HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("leader", ("领导", "责任人")),
    ("coop", ("配合", "协办", "协同", "协作", "参与")),
    ("lead", ("牵头", "责任单位", "责任部门", "主责", "承办", "负责单位", "实施单位", "责任主体")),
    ("deadline", ("时限", "时间", "节点", "期限", "进度安排")),
    ("points", ("分值", "分数", "权重", "赋分")),
    ("no", ("序号", "编号")),
    ("group", ("类别", "分类", "类型", "板块", "领域", "方面", "分组", "专项")),
    # A sheet may give the task and its measurable goal in two columns (重点任务 | 具体目标).
    ("target", ("具体目标", "预期目标", "年度目标", "量化目标", "绩效目标", "目标值", "指标")),
    ("task", ("任务", "内容", "目标", "事项", "举措", "措施", "工作")),
]
EXPECTED_HEADERS = "序号、工作任务（或工作内容、目标任务）、完成时限（或时间节点）、牵头单位（或责任单位）、配合单位、责任领导、分值"
HEADER_MAX_CHARS = 12  # header cells are short; a longer cell is a row's content
HEADER_SCAN_ROWS = 10  # title rows above the header are few
# Columns whose blank cell means "as above" when a table carries no merge information.
CARRY_FIELDS = ("group", "lead")

_SPACE = re.compile(r"[\s\u3000\u00a0]+")
_NOTE = re.compile(r"[（(][^）)]*[）)]$")
_CN = "一二三四五六七八九十百零〇"
HEADING = re.compile(rf"^(第[{_CN}\d]+[部分章节项类]*|[{_CN}]+[、．.]|[（(][{_CN}]+[）)])")
_OWN_NUMERAL = re.compile(rf"^([{_CN}]+)、")
_MARKER = re.compile(rf"^(第[{_CN}\d]+[部分章节项类]*[、：:．.]?|[{_CN}]+[、．.]|[（(][{_CN}\d]+[）)]|\d+[、．.])\s*")
_ROW_NO = re.compile(r"^[（(]?(\d+)[）)]?[、．.]?$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


@dataclass
class TaskTable:
    """One table of a document: its cells as text (merged cells resolved) and how its columns map.

    `continued` holds the (row, column) cells filled from a vertically merged cell above: they count
    for group and unit columns but not as a new task. `carry_blanks` is set where the source keeps no
    merge information (a pasted table), so a blank group or lead cell means "as above"."""

    title: str
    rows: list[list[str]]
    header_row: int = -1
    body_start: int = 0
    mapping: dict[str, int] = field(default_factory=dict)
    continued: set[tuple[int, int]] = field(default_factory=set)
    carry_blanks: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def headers(self) -> list[str]:
        """Each column's header as shown to the office (the sub-header where there is one)."""
        names = []
        for c in range(self.width):
            parts = [_cell(self.rows[r], c) for r in range(self.header_row, self.body_start) if r >= 0]
            name = "/".join(dict.fromkeys(p for p in parts if p))
            names.append(name or f"第{c + 1}列")
        return names

    @property
    def body(self) -> list[list[str]]:
        return [row + [""] * (self.width - len(row)) for row in self.rows[self.body_start:]]

    def to_dict(self) -> dict:
        return {"title": self.title, "rows": self.rows, "header_row": self.header_row, "body_start": self.body_start,
                "mapping": self.mapping, "continued": sorted(self.continued), "carry_blanks": self.carry_blanks}

    @classmethod
    def from_dict(cls, data: dict) -> TaskTable:
        return cls(title=data["title"], rows=data["rows"], header_row=data["header_row"],
                   body_start=data["body_start"], mapping=dict(data["mapping"]),
                   continued={tuple(c) for c in data["continued"]}, carry_blanks=data["carry_blanks"])


def _cell(row: list[str], c: int) -> str:
    return row[c] if c < len(row) else ""


def header_field(text: str) -> str | None:
    """The field a header cell names, or None."""
    name = _SPACE.sub("", text or "")
    name = _NOTE.sub("", name) or name
    if not name or len(name) > HEADER_MAX_CHARS:
        return None
    if name in {"序", "No", "NO", "No.", "NO."}:
        return "no"
    for key, words in HEADER_WORDS:
        if any(w in name for w in words):
            return key
    return None


def guess_mapping(rows: list[list[str]]) -> tuple[int, int, dict[str, int]] | None:
    """(header row, first body row, field → column) for a task table, or None when no row among the
    first few reads as a header naming the task column and at least one other field."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = [header_field(cell) for cell in row]
        if not {"task", "target"} & set(fields) or len({f for f in fields if f}) < 2:
            continue
        mapping: dict[str, int] = {}
        for c, f in enumerate(fields):
            if f and f not in mapping:
                mapping[f] = c
        body = r + 1
        # A two-row header (责任单位 over 牵头/配合): the row below names fields in columns of its own.
        if body < len(rows) and _is_sub_header(rows[body], fields):
            for c, cell in enumerate(rows[body]):
                f = header_field(cell)
                if f:
                    mapping = {k: v for k, v in mapping.items() if v != c and k != f}
                    mapping[f] = c
            body += 1
        return r, body, dict(sorted(mapping.items(), key=lambda kv: kv[1]))
    return None


def _is_sub_header(row: list[str], above: list[str | None]) -> bool:
    cells = [(c, cell) for c, cell in enumerate(row) if cell]
    if not cells or any(len(_SPACE.sub("", cell)) > HEADER_MAX_CHARS for _, cell in cells):
        return False
    new = [c for c, cell in cells if header_field(cell) and (c >= len(above) or header_field(cell) != above[c])]
    return bool(new) and all(header_field(cell) for _, cell in cells)


def detect(table: TaskTable) -> bool:
    """Fill in the table's header and guessed mapping; False when it is not a task table."""
    found = guess_mapping(table.rows)
    if found is None:
        return False
    table.header_row, table.body_start, table.mapping = found
    return True


def apply_mapping(table: TaskTable, columns: dict[int, str]) -> dict[str, int]:
    """The office's mapping (column → field, "" for a column not imported) as field → column, or an
    ApplicationError naming both columns when one field is given twice."""
    headers = table.headers
    mapping: dict[str, int] = {}
    for c in sorted(columns):
        f = columns[c]
        if not f:
            continue
        if f not in FIELDS:
            raise ApplicationError(f"{table.title}第{c + 1}列“{headers[c]}”的对应项“{f}”无法识别，请重新选择。",
                                   field="columns")
        if f in mapping:
            first = mapping[f]
            raise ApplicationError(
                f"{table.title}第{first + 1}列“{headers[first]}”和第{c + 1}列“{headers[c]}”都设成了“{FIELDS[f]}”；"
                f"一项内容只能对应一列，请把其中一列改为其他内容或“不导入”。", field="columns")
        mapping[f] = c
    if "task" not in mapping and "target" not in mapping:
        raise ApplicationError(f"{table.title}没有哪一列设成“任务内容”或“具体目标”，请指定任务所在的列。",
                               field="columns")
    return mapping


# ---------------------------------------------------------------- rendering


def _join_lines(text: str, sep: str) -> str:
    parts = [p.strip() for p in str(text).splitlines() if p.strip()]
    out = ""
    for p in parts:
        out += p if not out or out[-1] in "。；;，,：:、" or sep == "" else sep + p
    return out


def _units(text: str) -> str:
    names = [n for n in re.split(r"[\n、，,；;/]+|\s{2,}", text or "") if n.strip()]
    return "、".join(dict.fromkeys(n.strip() for n in names))


def _deadline(text: str) -> str:
    text = _join_lines(text, "；")
    day = _ISO_DAY.match(text)
    if day:
        y, m, d = (int(x) for x in day.groups())
        return f"{y}年{m}月{d}日"
    return text


def _points(text: str) -> str:
    text = _SPACE.sub("", text or "").removesuffix("分")
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _row_no(text: str) -> str:
    text = _SPACE.sub("", text or "")
    found = _ROW_NO.match(text)
    return found.group(1) if found else text.rstrip("、．.")


class _Groups:
    """Numbers groups 一、二、… in order, keeping a group's own numeral where it has one."""

    def __init__(self):
        self.count = 0

    def heading(self, text: str) -> str:
        text = _join_lines(text, "")
        own = _OWN_NUMERAL.match(text)
        if own:
            try:
                self.count = int(cn2an.cn2an(own.group(1), "smart"))
            except ValueError:
                self.count += 1
            return text
        self.count += 1
        return f"{cn2an.an2cn(self.count)}、{_MARKER.sub('', text, count=1)}"


def task_lines(table: TaskTable, mapping: dict[str, int] | None = None, *, heading_if_none: bool = False) -> list[str]:
    """The table's rows as plan text: its title rows, a heading line per group, one line per task
    (under a heading of its own when `heading_if_none` and the table has no groups)."""
    mapping = table.mapping if mapping is None else mapping
    content_cols = {c for f, c in mapping.items() if f not in ("no", "group")}
    groups, items = _Groups(), []  # items: ("group", text) or ("task", fields)
    # Title rows above the header ("某区2027年目标任务分解表") name the plan and its year.
    titles = plain_lines([row for r, row in enumerate(table.rows) if r < max(table.header_row, 0)])
    current_group, carried, auto_no = None, {}, 0
    for offset, row in enumerate(table.body):
        r = table.body_start + offset
        filled = [c for c, cell in enumerate(row) if cell.strip()]
        if not any((r, c) not in table.continued for c in filled):
            continue
        # A group row: one cell alone (across the row, or in the 序号/group column), or a heading.
        if len(filled) == 1 and (filled[0] not in content_cols or HEADING.match(row[filled[0]].strip())):
            items.append(("group", groups.heading(row[filled[0]])))
            current_group, auto_no = row[filled[0]], 0
            continue
        values = {}
        for f, c in mapping.items():
            cell = _cell(row, c).strip()
            if f == "task" and (r, c) in table.continued:
                cell = ""
            if table.carry_blanks and f in CARRY_FIELDS:
                cell = cell or carried.get(f, "")
                carried[f] = cell
            values[f] = cell
        no = _SPACE.sub("", values.get("no", ""))
        details = ("deadline", "lead", "coop", "leader", "points")
        # 序号 一 with the section's name in the task column, the rest blank: a group row.
        if no and all(ch in _CN for ch in no) and values.get("task") and not any(values.get(k) for k in details):
            items.append(("group", groups.heading(f"{no}、{_MARKER.sub('', values['task'], count=1)}")))
            current_group, auto_no = no, 0
            continue
        group = values.get("group", "")
        if group and group != current_group:
            items.append(("group", groups.heading(group)))
            current_group, auto_no = group, 0
        if values.get("target"):  # 重点任务 | 具体目标: the goal belongs to the task
            values["task"] = "：".join(x for x in (values.get("task", "").rstrip("：:"), values["target"]) if x)
        if not values.get("task"):
            # The rest of a vertically merged task: its units belong to the task above.
            last = next((item for kind, item in reversed(items) if kind == "task"), None)
            if last is not None:
                for f in ("lead", "coop"):
                    last[f] = _units("、".join(x for x in (last.get(f, ""), values.get(f, "")) if x))
            continue
        if heading_if_none and not any(kind == "group" for kind, _item in items):
            # Without groups (and no heading before the table) the tasks still sit under one
            # section, not one section each.
            items.append(("group", groups.heading("重点工作任务")))
        auto_no += 1
        items.append(("task", {
            "no": _row_no(no) if no else str(auto_no),
            "task": _join_lines(values["task"], "；").rstrip("。；;，,"),
            "deadline": _deadline(values.get("deadline", "")),
            "lead": _units(values.get("lead", "")),
            "coop": _units(values.get("coop", "")),
            "leader": _units(values.get("leader", "")),
            "points": _points(values.get("points", "")),
        }))
    return [*titles, *(item if kind == "group" else task_line(item) for kind, item in items)]


def task_line(item: dict) -> str:
    line = f"{item['no']}．{item['task']}"
    if item["deadline"]:
        line += f"（完成时限：{item['deadline']}）"
    units = [f"{label}：{item[f]}" for f, label in (("lead", "牵头单位"), ("coop", "配合单位")) if item[f]]
    if units:
        line += f"（{'；'.join(units)}）"
    if item["leader"]:
        line += f"（责任领导：{item['leader']}）"
    if item["points"]:
        line += f"（{item['points']}分）"
    return line


def plain_lines(rows: list[list[str]]) -> list[str]:
    """A table that is not a task list: each row's distinct cells, joined as one line."""
    lines = []
    for row in rows:
        cells = dict.fromkeys(_join_lines(c, "") for c in row if c and c.strip())
        if cells:
            lines.append("，".join(cells))
    return lines


# ---------------------------------------------------------------- tables pasted as text


def split_pasted_tables(text: str) -> list[str | TaskTable]:
    """Text with tab-separated runs of lines (a Word or Excel table copied as text) as blocks: the
    runs that read as task tables become TaskTables, everything else stays text."""
    if "\t" not in text:
        return [text]
    lines = text.splitlines()
    blocks: list[str | TaskTable] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            prose.append(lines[i])
            i += 1
            continue
        run = [lines[i]]
        i += 1
        # Excel quotes a cell that holds a line break: the run goes on while a quote is open.
        while i < len(lines) and ("\t" in lines[i] or "\n".join(run).count('"') % 2):
            run.append(lines[i])
            i += 1
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO("\n".join(run)), delimiter="\t")]
        table = TaskTable(title="粘贴的表格", rows=rows, carry_blanks=True)
        if len(run) >= 2 and detect(table):
            if prose:
                blocks.append("\n".join(prose))
                prose = []
            blocks.append(table)
        else:
            prose.extend(run)
    if prose:
        blocks.append("\n".join(prose))
    return blocks
