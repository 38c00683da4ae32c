"""督查通报: the monthly progress bulletin.

`bulletin_data` gathers everything the bulletin says (reads only, a fixed number of queries);
`render_docx` lays it out as an official document with python-docx (no database). Keeping the two
apart lets tests check the figures without opening Word, and the layout without a database.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from yuanqu.core import clock
from yuanqu.core.periods import month_end
from yuanqu.org.models import OrgUnit, UnitScope
from yuanqu.org.selectors import users_holding
from yuanqu.plans import status as lights
from yuanqu.plans.display import figure_display, pct
from yuanqu.plans.models import ProgressReport, Section, Target
from yuanqu.plans.selectors import target_facts
from yuanqu.supervision.selectors import overdue_items

from .ranking import unit_on_track_ranking

Status = lights.Status
DEFAULT_MAIN_TO = "各部门、各片区、各村（社区）"
DEFAULT_CC = "管委会领导"
DEFAULT_REQUIREMENTS = (
    "各牵头单位要对照本通报，逐项分析红灯和逾期未完成目标的原因，明确整改措施和完成时限；"
    "配合单位要主动对接、形成合力。督查室将持续跟踪督办，并将推进情况纳入年度目标管理绩效考核。"
)
PROBLEM_QUOTE_LIMIT = 80  # characters of a unit's own 存在问题 quoted in the reason column
# Order in which counts are stated: the way a bulletin reads ("已完成a项、绿灯b项……").
COUNT_ORDER = [Status.DONE, Status.GREEN, Status.YELLOW, Status.RED, Status.NOT_STARTED]
CN_NUMERALS = "一二三四五六七八九十"


class SystemReader:
    """The reader behind the command line, which runs with the database's own rights: it holds
    every ability zone-wide, so the scope querysets (visible_to) give it everything."""

    is_authenticated = True
    is_superuser = True
    unit_id = None
    unit = None
    pk = None

    def can(self, ability: str, unit=None) -> bool:
        return True

    def units_for(self, ability: str) -> UnitScope:
        return UnitScope(everything=True)

    def scope_units(self) -> UnitScope:
        return UnitScope(everything=True)

    def unit_names(self) -> str:
        return "全部单位"


def issue_label(month: dt.date) -> str:
    # One bulletin a month: the issue number is the month's, so a regenerated version keeps its number.
    return f"{month.year}年第{month.month}期"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _overdue_supervision(user, on: dt.date) -> list[dict]:
    """Open 督办单 past their deadline on `on`, in the user's scope."""
    rows = []
    for item in overdue_items(on=on, user=user):
        lead = getattr(item, "lead_unit", None)
        rows.append({
            "number": item.number,
            "title": item.title,
            "lead_unit": lead.name if lead else "—",
            "deadline": item.deadline,
            "days_overdue": (on - item.deadline).days,
        })
    return rows


def issuing_office(user) -> str:
    """The 督查室's name: the supervisor's own unit, else that of any supervisor (one query at most)."""
    if user.unit_id and user.can("supervision.oversee"):
        return user.unit.name
    someone = users_holding("supervision.oversee").filter(unit__isnull=False).select_related("unit").order_by("pk").first()
    return someone.unit.name if someone else "督查室"


def default_issuer(user) -> str:
    """发文机关: the zone's administration (the top 管委会 unit) with its supervision office, e.g.
    管委会督查室; the office alone when its name already says whose it is. Two queries at most."""
    office = issuing_office(user or SystemReader())
    zone = (OrgUnit.objects.filter(parent__isnull=True, kind=OrgUnit.Kind.COMMITTEE).order_by("order", "pk")
            .values_list("name", flat=True).first())
    if not zone or office.startswith(zone) or office == zone:
        return office
    return f"{zone}{office}"


def _quote(text: str, limit: int = PROBLEM_QUOTE_LIMIT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "……"


def _reason(target: Target, facts, problems: str = "") -> str:
    """Why a target is red: how far behind (or beyond its bound), then in the unit's own words the
    存在问题 of the report its figure comes from (`problems`), where it gave any."""
    ev = facts.evaluation
    if ev.gap is not None and ev.gap > 0:
        reason = f"落后序时进度{ev.gap:.1f}个百分点"
    else:
        value = None if target.target_value is None else float(target.target_value)
        reason = "超出控制目标" if lights.is_lower_better(target.comparator or None, value) else "未达序时进度"
    problems = _quote(problems)
    return f"{reason}。单位反映存在问题：“{problems}”" if problems else reason


def _problems(reports: list) -> dict[int, str]:
    """The 存在问题 of these reports, by report id (one query; the facts' reports leave the text out)."""
    ids = [r.pk for r in reports if r is not None]
    if not ids:
        return {}
    return dict(ProgressReport.objects.filter(pk__in=ids).exclude(problems="").values_list("pk", "problems"))


def _row(target: Target, facts) -> dict:
    ev = facts.evaluation
    return {
        "id": target.pk,
        "title": target.title,
        # Tables use the unit's short name (简称) where it has one: a column, not a paragraph.
        "lead_unit": (target.lead_unit.short_name or target.lead_unit.name) if target.lead_unit_id else "—",
        "target": target.target_display(),
        "figure": figure_display(target, facts),
        "completion": pct(ev.completion),
        "schedule": pct(ev.schedule),
        "status": ev.status.value,
        "status_label": ev.status.label,
        "deadline": target.period_end,
    }


def _counts(statuses) -> dict[str, int]:
    counter = Counter(statuses)
    return {s.value: counter.get(s, 0) for s in COUNT_ORDER}


def unit_ranking(targets: list[Target], facts: dict) -> tuple[list[dict], str]:
    """Lead units ranked by ranking.unit_on_track_ranking (the cockpit's rule too): share of targets
    green or done, then fewer reds; units equal on both share a place (并列). A unit whose share
    equals another's but has a different red count is told why it stands where it does.
    """
    standings = unit_on_track_ranking(targets, facts)
    rows = []
    for s in standings:
        same_both = [o.unit.name for o in standings if o is not s and o.key == s.key]
        same_share = [o.unit.name for o in standings if o is not s and o.ratio == s.ratio and o.red != s.red]
        notes = []
        if same_both:
            # Name up to two partners; a larger group is counted, or the note would list half the zone.
            notes.append(f"与{'、'.join(same_both)}并列" if len(same_both) <= 2 else f"{len(same_both) + 1}个单位并列")
        if same_share:
            notes.append(f"占比与{'、'.join(same_share)}相同，按红灯数排序")
        rows.append({
            "rank": s.rank, "unit": s.unit.name, "total": s.total, "good": s.on_track, "red": s.red,
            "share": f"{100 * s.on_track / s.total:.1f}%", "tied": bool(same_both), "note": "；".join(notes),
        })
    note = (
        "排名依据：各单位牵头目标中绿灯和已完成目标所占比例，由高到低；比例相同的，红灯数少者在前；"
        "比例和红灯数均相同的，名次并列。未开始的目标计入牵头目标数，不计入绿灯及已完成。"
        "本排名反映截至当月底的推进情况，不是年度目标管理绩效考核得分：考核按考核方案计分"
        "（含共性指标、加减分和一票否决，未开始的目标不计分），名次可能不同。"
    )
    if any(t.lead_unit_id is None for t in targets):
        note += "未明确牵头单位的目标不参与排名。"
    return rows, note


def summary_text(month: dt.date, counts: dict[str, int], total: int, overdue_unmet: int, supervision: int) -> str:
    parts = "、".join(f"{Status(k).label}{v}项" for k, v in counts.items())
    text = f"截至{month.year}年{month.month}月底，全区{total}项目标中，{parts}。"
    good = counts[Status.DONE.value] + counts[Status.GREEN.value]
    if total:
        text += f"已完成和绿灯目标合计{good}项，占{100 * good / total:.1f}%。"
    red = counts[Status.RED.value]
    if red and overdue_unmet:
        text += f"红灯目标{red}项，其中已过完成期限仍未完成的{overdue_unmet}项。"
    elif not red:
        text += "本月无红灯目标。"
    text += f"逾期未办结的督办事项{supervision}件。" if supervision else "本月无逾期督办事项。"
    return text


def _targets(plan, user) -> list[Target]:
    """The plan's targets the user sees, in the bulletin's order, each with its plan, section and
    lead unit attached from one read of each (select_related builds a plan, a section and a unit
    per target: at 10,000 targets a quarter of the bulletin's time, for a few distinct rows)."""
    targets = list(Target.objects.visible_to(user).filter(plan=plan).defer("as_written")
                   .order_by("section__order", "section_id", "order", "id"))
    sections = Section.objects.in_bulk({t.section_id for t in targets})
    units = OrgUnit.objects.in_bulk({t.lead_unit_id for t in targets if t.lead_unit_id})
    for t in targets:
        t.plan, t.section = plan, sections[t.section_id]
        if t.lead_unit_id:
            t.lead_unit = units[t.lead_unit_id]
    return targets


# The steps of gathering a bulletin's data, as a background job's progress names them
# (bulletin_data calls `progress` at the start of each; the service adds its own last step).
DATA_STEPS = ("读取目标", "按月底计算各目标状态", "整理分章节表格和红灯目标", "统计逾期督办事项和单位排名")


def bulletin_data(*, plan, month: dt.date, user, issued_on: dt.date | None = None, progress=None) -> dict:
    """Everything the bulletin of `month` says, as of that month's last day, in the user's scope.

    Queries: targets (with plan, section, lead unit), the evaluation's reads (reports, ledgers,
    metric snapshots when any), the overdue 督办单 — the same number for 10 or 1,000 targets.
    `progress(label)`, when given, is told each of DATA_STEPS as it starts.
    """
    step = iter(DATA_STEPS)
    progress = progress or (lambda label: None)
    month = month.replace(day=1)
    cutoff = month_end(month)
    issued_on = issued_on or clock.today()
    user = user or SystemReader()
    progress(next(step))
    targets = _targets(plan, user)
    progress(next(step))
    facts = target_facts(targets, cutoff)
    counts = _counts(f.status for f in facts.values())

    progress(next(step))
    sections: list[dict] = []
    red, overdue_unmet = [], []
    red_now = [t for t in targets if facts[t.pk].status == Status.RED and t.period_end >= cutoff]
    problems = _problems([facts[t.pk].report for t in red_now])
    for t in targets:
        if not sections or sections[-1]["id"] != t.section_id:
            sections.append({"id": t.section_id, "no": t.section.no, "title": t.section.title, "rows": []})
        row = _row(t, facts[t.pk])
        sections[-1]["rows"].append(row)
        if facts[t.pk].status == Status.RED:
            # Past the deadline and unmet is its own list; the red list holds those still in time.
            if t.period_end < cutoff:
                overdue_unmet.append(row)
            else:
                report = facts[t.pk].report
                red.append({**row, "reason": _reason(t, facts[t.pk], problems.get(report.pk, "") if report else "")})
    for section in sections:
        section["counts"] = _counts(Status(r["status"]) for r in section["rows"])
        section["total"] = len(section["rows"])

    progress(next(step))
    supervision = _overdue_supervision(user, cutoff)
    ranking, ranking_note = unit_ranking(targets, facts)
    office = issuing_office(user)
    summary = summary_text(month, counts, len(targets), len(overdue_unmet), len(supervision))
    return {
        "title": "督查通报",
        "plan": {"id": plan.pk, "year": plan.year, "title": plan.title},
        "month": month,
        "cutoff": cutoff,
        "issue": issue_label(month),
        "office": office,
        "issued_on": issued_on,
        "subtitle": f"关于{month.year}年{month.month}月年度工作目标推进情况的通报",
        "total": len(targets),
        "counts": counts,
        "summary": summary,
        # The wording the 督查室 may edit before issuing (Bulletin fields), here with its defaults.
        "issuer": office,
        "main_to": DEFAULT_MAIN_TO,
        "cc": DEFAULT_CC,
        "signer": "",
        "overview": summary,
        "requirements": DEFAULT_REQUIREMENTS,
        "draft": False,
        "sections": sections,
        "red": red,
        "overdue_unmet": overdue_unmet,
        "supervision": supervision,
        "ranking": ranking,
        "ranking_note": ranking_note,
    }


DATE_KEYS = frozenset({"month", "cutoff", "issued_on", "deadline"})


def data_to_json(data: dict) -> dict:
    """The bulletin's data as JSON (dates as ISO strings), to freeze a draft's figures."""
    def convert(value):
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
    return convert(data)


def data_from_json(stored: dict) -> dict:
    """The inverse of data_to_json: the dates back as dates, so render_docx reads either."""
    def convert(value, key=None):
        if isinstance(value, dict):
            return {k: convert(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if key in DATE_KEYS and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value
    return convert(stored)


def summary_counts(data: dict) -> dict:
    """What the Bulletin row keeps for lists and comparisons (JSON)."""
    return {
        "total": data["total"],
        **data["counts"],
        "red_in_time": len(data["red"]),
        "overdue_unmet": len(data["overdue_unmet"]),
        "supervision_overdue": len(data["supervision"]),
    }


# ---------------------------------------------------------------- .docx layout

# Official-document fonts; the font table names a widely installed alternative for each, which
# Word and WPS use when the first is missing (LibreOffice substitutes by its own rules).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_TABLE = "宋体"
FONT_LATIN = "Times New Roman"
FONT_ALTERNATIVES = {FONT_TITLE: "宋体", FONT_BODY: "仿宋", FONT_H2: "楷体"}
FONT_PANOSE = {"宋体": "02010600030101010101", "黑体": "02010609060101010101", "仿宋": "02010609060101010101",
               "楷体": "02010609060101010101"}

# Chinese point sizes (字号).
ERHAO, XIAOER, SANHAO, SIHAO, WUHAO = Pt(22), Pt(18), Pt(16), Pt(14), Pt(10.5)
# Tables in 五号: eight columns across 15.6 cm then leave room for the target's text while figures
# such as “不低于92个” and headers such as “序时进度” stay on one line (see column widths below).
TABLE_SIZE = WUHAO
CELL_MARGIN_CM = 0.1  # each side (_narrow_cell_margins)
FIT_MAX_CM = 4.0  # a figure longer than this wraps rather than squeeze the target's text out
WRAP_MIN_CM = 2.5
LINE = Pt(28)  # 三号 body at 22 lines a page, as GB/T 9704 sets out
TEXT_WIDTH = Cm(21 - 2.8 - 2.6)
RED = RGBColor(0xFF, 0x00, 0x00)
STATUS_COLOURS = {"red": RGBColor(0xC0, 0x00, 0x00), "yellow": RGBColor(0xB8, 0x86, 0x0B),
                  "green": RGBColor(0x00, 0x80, 0x3C), "done": RGBColor(0x1F, 0x4E, 0x9A)}


# Column widths (cm) of each table, adding up to the text width (15.6 cm). Columns that hold short
# figures, dates and headers are wide enough for them on one line in 五号 (a CJK character is 1 em,
# a digit or Latin letter about half), with 0.1 cm cell margins either side; the target, reason and
# note columns take the rest and wrap.
OVERVIEW_WIDTHS = [5.4] + [1.7] * 6
SECTION_WIDTHS = [1.0, 3.5, 2.0, 2.3, 2.1, 1.5, 1.8, 1.4]
RED_WIDTHS = [1.0, 4.0, 2.0, 1.5, 1.8, 5.3]
LATE_WIDTHS = [1.0, 5.9, 2.0, 3.0, 2.1, 1.6]
SUPERVISION_WIDTHS = [1.0, 2.8, 5.0, 2.0, 3.0, 1.8]
RANKING_WIDTHS = [1.0, 3.0, 2.1, 2.5, 1.5, 1.4, 4.1]


def _set_fonts(rpr_parent, east_asia: str) -> None:
    """Latin text in Times New Roman, Chinese in `east_asia` (w:eastAsia is what Word/WPS read)."""
    rfonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), FONT_LATIN)
    rfonts.set(qn("w:hAnsi"), FONT_LATIN)
    rfonts.set(qn("w:cs"), FONT_LATIN)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph, text: str, font: str, size, *, bold: bool = False, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    _set_fonts(run._element, font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc_or_cell, *, align=None, first_line: bool = False, exact=LINE, before=0, after=0):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        fmt.alignment = align
    if first_line:
        # Two characters: firstLineChars for Word/WPS, the absolute value for LibreOffice.
        fmt.first_line_indent = Pt(32)
        p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    return p


def _border(paragraph, edge: str, *, color: str = "000000", size: int = 8, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pBdr comes before shd/tabs/spacing/ind/jc in CT_PPr's sequence.
        anchor = next((ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
                       if ppr.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            ppr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _body(doc, text: str, *, keep_with_next: bool = False) -> None:
    p = _para(doc, first_line=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.keep_with_next = keep_with_next
    _run(p, text, FONT_BODY, SANHAO)


def _heading1(doc, text: str) -> None:
    p = _para(doc, first_line=True)
    p.paragraph_format.keep_with_next = True
    _run(p, text, FONT_H1, SANHAO)


def _heading2(doc, text: str) -> None:
    p = _para(doc, first_line=True)
    p.paragraph_format.keep_with_next = True
    _run(p, text, FONT_H2, SANHAO)


def _cell_text(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, color=None) -> None:
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = align
    _run(p, text, FONT_TABLE, TABLE_SIZE, bold=bold, color=color)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _narrow_cell_margins(table) -> None:
    """0.1 cm either side instead of 0.19 cm: 小四 figures like “100.0%” then fit narrow columns."""
    tbl_pr = table._tbl.tblPr
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar>"
    )
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def text_width_cm(text: str, size=None) -> float:
    """How wide `text` sets on one line in a table cell, margins included: a CJK (full-width)
    character is 1 em, a digit or Latin letter about half (Times New Roman; % is wider), and Word,
    WPS and LibreOffice put about a quarter em between Chinese and a number (autospace)."""
    size = size or TABLE_SIZE
    ems, previous = 0.0, None
    for c in text:
        wide = ord(c) > 0x2E80
        ems += 1.0 if wide else (0.85 if c == "%" else 0.5)
        if previous is not None and wide != previous:
            ems += 0.25
        previous = wide
    return ems * size.pt * 2.54 / 72 + 2 * CELL_MARGIN_CM


def fit_widths(headers: list[str], rows: list[list[str]], widths_cm: list[float], wrap: set[int]) -> list[float]:
    """Widen the columns that must not wrap (figures, dates, short headers) to their longest text,
    up to FIT_MAX_CM, taking the room from the wrapping columns in proportion (each keeps at least
    WRAP_MIN_CM); the total stays the text width."""
    widths = list(widths_cm)
    for i in range(len(headers)):
        if i in wrap:
            continue
        texts = {r[i] for r in [headers, *rows]}  # each distinct text once: columns repeat (units, 状态)
        longest = math.ceil(max(map(text_width_cm, texts)) * 20) / 20  # up to 0.05 cm
        widths[i] = max(widths[i], min(longest, FIT_MAX_CM))
    excess = sum(widths) - sum(widths_cm)
    room = [max(widths[i] - WRAP_MIN_CM, 0.0) for i in sorted(wrap)]
    if excess > 0 and sum(room) > 0:
        share = min(excess / sum(room), 1.0)
        for i, spare in zip(sorted(wrap), room, strict=True):
            widths[i] -= spare * share
    excess = sum(widths) - sum(widths_cm)
    if excess > 1e-9:
        # Still too wide (very long figures): the widened columns give back what they gained, in
        # proportion, so the table never runs into the margin; their longest text then wraps.
        gained = {i: widths[i] - widths_cm[i] for i in range(len(widths)) if i not in wrap and widths[i] > widths_cm[i]}
        total = sum(gained.values())
        for i, extra in gained.items():
            widths[i] -= excess * extra / total
    return widths


def _table(doc, headers: list[str], widths_cm: list[float], rows: list[list[str]], *,
           left: set[int] = frozenset(), status_col: int | None = None, statuses: list[str] | None = None,
           wrap: set[int] | None = None) -> None:
    """A bordered table whose header row repeats on every page and whose rows do not split.
    Columns not in `wrap` (default: the left-aligned text columns) are widened to hold their text."""
    widths_cm = fit_widths(headers, rows, widths_cm, set(left) if wrap is None else wrap)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_cell_margins(table)
    widths = [Cm(w) for w in widths_cm]
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for i, text in enumerate(headers):
        cell = header.cells[i]
        cell.width = widths[i]
        # Shading before _cell_text adds vAlign: CT_TcPr is a sequence (tcW, ..., shd, ..., vAlign).
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="E7E6E6"/>'))
        _cell_text(cell, text, bold=True)
    # Rows from prototypes: one row per colour formatted cell by cell, then each data row a copy of
    # its XML with the texts put in (python-docx's cell-by-cell formatting is most of a large
    # bulletin's time). A text python-docx would split into breaks or tabs takes the slow path.
    prototypes: dict = {}
    tbl = table._tbl
    for r, values in enumerate(rows):
        color = STATUS_COLOURS.get(statuses[r]) if status_col is not None and statuses else None
        if any("\n" in v or "\t" in v or "\r" in v for v in values):
            _formatted_row(table, values, widths, left, status_col, color)
            continue
        if color not in prototypes:
            row = _formatted_row(table, ["X"] * len(values), widths, left, status_col, color)
            prototypes[color] = deepcopy(row._tr)
            tbl.remove(row._tr)
        tr = deepcopy(prototypes[color])
        for tc, text in zip(tr.iterchildren(qn("w:tc")), values, strict=True):
            t = tc.find(".//" + qn("w:t"))
            if not text:  # as python-docx writes an empty cell: a run without text
                t.getparent().remove(t)
                continue
            t.text = text
            if text != text.strip():
                t.set(qn("xml:space"), "preserve")
        tbl.append(tr)
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    # A little air after a table before the next paragraph.
    _para(doc, exact=Pt(12))


def _formatted_row(table, values: list[str], widths, left, status_col, color):
    """A body row formatted cell by cell (python-docx): the prototype of the rows like it."""
    row = table.add_row()
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    for i, text in enumerate(values):
        cell = row.cells[i]
        cell.width = widths[i]
        _cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER,
                   color=color if status_col == i else None)
    return row


def _setup_document():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.5)

    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), FONT_LATIN)
    rfonts.set(qn("w:hAnsi"), FONT_LATIN)
    rfonts.set(qn("w:cs"), FONT_LATIN)
    rfonts.set(qn("w:eastAsia"), FONT_BODY)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = doc.styles["Normal"]
    _set_fonts(normal.element, FONT_BODY)
    normal.font.size = SANHAO
    table_grid = doc.styles["Table Grid"]
    _set_fonts(table_grid.element, FONT_TABLE)
    table_grid.font.size = TABLE_SIZE

    _add_font_alternatives(doc)
    _page_numbers(section)
    return doc


def _add_font_alternatives(doc) -> None:
    """Declare the Chinese fonts in the font table, each with an alternative (w:altName) for
    machines without the official-document fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    fonts = [FONT_TITLE, FONT_BODY, FONT_H2, FONT_H1, FONT_TABLE, *FONT_ALTERNATIVES.values()]
    for name in dict.fromkeys(fonts):
        alt = FONT_ALTERNATIVES.get(name)
        panose = FONT_PANOSE.get(alt or name, "02010600030101010101")
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}">'
            + (f'<w:altName w:val="{alt}"/>' if alt else "")
            + f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="auto"/>'
            '<w:pitch w:val="variable"/>'
            '<w:sig w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" '
            'w:csb0="00040001" w:csb1="00000000"/></w:font>'
        ))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(section) -> None:
    """“— 1 —” centred in the footer, 宋体 四号, as official documents number their pages."""
    footer = section.footer
    p = footer.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", FONT_TABLE, SIHAO)
    run = _run(p, "", FONT_TABLE, SIHAO)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _run(p, " —", FONT_TABLE, SIHAO)


def render_docx(data: dict) -> bytes:
    """The bulletin as a .docx: A4 portrait with official margins, masthead, red line, 主送, sections,
    tables, and the 版记 (抄送, issuer and date). `data` from bulletin_data, or a stored draft's
    (data_from_json) with the 督查室's wording; "draft" marks every page's issue line 草稿."""
    doc = _setup_document()
    issuer = data.get("issuer") or data["office"]
    props = doc.core_properties
    props.title = f"{data['title']}（{data['issue']}）"
    props.author = issuer
    props.language = "zh-CN"

    # Masthead: title, issue, issuing office, 签发人 and date over a red line.
    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, before=12, after=12)
    _run(title, data["title"], FONT_TITLE, ERHAO, color=RED)
    issue = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(issue, data["issue"] + ("（草稿）" if data.get("draft") else ""), FONT_BODY, SANHAO)
    office = _para(doc, before=6)
    office.paragraph_format.left_indent = Pt(16)
    office.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(16), WD_TAB_ALIGNMENT.RIGHT)
    signer = f"签发人：{data['signer']}　" if data.get("signer") else ""
    _run(office, f"{issuer}\t{signer}{cn_date(data['issued_on'])}", FONT_BODY, SANHAO)
    _border(office, "bottom", color="FF0000", size=18, space=6)

    subtitle = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, before=24, after=18)
    _run(subtitle, data["subtitle"], FONT_TITLE, XIAOER)
    if data.get("main_to"):
        # 主送机关: flush left under the title, ending with a full-width colon (GB/T 9704).
        _run(_para(doc), f"{data['main_to']}：", FONT_BODY, SANHAO)

    month = data["month"]
    _body(doc, f"为及时掌握{data['plan']['year']}年度工作计划推进情况，督查室依据各牵头单位填报并经审核采纳的进度，"
               f"对照序时进度对全部目标进行了评估。现将截至{month.year}年{month.month}月底的情况通报如下。")

    n = iter(CN_NUMERALS)
    _heading1(doc, f"{next(n)}、总体情况")
    for text in _paragraphs(data.get("overview") or data["summary"]):
        _body(doc, text, keep_with_next=True)
    labels = [Status(k).label for k in data["counts"]]
    overview = [[f"{s['no']}、{s['title']}", str(s["total"]), *(str(v) for v in s["counts"].values())]
                for s in data["sections"]]
    overview.append(["合计", str(data["total"]), *(str(v) for v in data["counts"].values())])
    _table(doc, ["章节", "目标数", *labels], OVERVIEW_WIDTHS, overview, left={0})

    _heading1(doc, f"{next(n)}、分章节推进情况")
    for section in data["sections"]:
        _heading2(doc, f"（{section['no']}）{section['title']}")
        rows = [[str(i), r["title"], r["lead_unit"], r["target"], r["figure"], r["completion"], r["schedule"],
                 r["status_label"]] for i, r in enumerate(section["rows"], 1)]
        _table(doc, ["序号", "目标", "牵头单位", "目标值", "最新采纳值", "完成度", "序时进度", "状态"],
               SECTION_WIDTHS, rows, left={1}, status_col=7, statuses=[r["status"] for r in section["rows"]],
               wrap={1})

    _heading1(doc, f"{next(n)}、红灯及逾期未完成目标")
    _heading2(doc, "（一）红灯目标")
    if data["red"]:
        _body(doc, f"以下{len(data['red'])}项目标完成度落后序时进度超过容差，亮红灯，请牵头单位抓紧推进。", keep_with_next=True)
        rows = [[str(i), r["title"], r["lead_unit"], r["completion"], r["schedule"], r["reason"]]
                for i, r in enumerate(data["red"], 1)]
        _table(doc, ["序号", "目标", "牵头单位", "完成度", "序时进度", "原因"], RED_WIDTHS, rows, left={1, 5},
               wrap={1, 5})
    else:
        _body(doc, "本月无红灯目标。")
    _heading2(doc, "（二）逾期未完成目标")
    if data["overdue_unmet"]:
        _body(doc, f"以下{len(data['overdue_unmet'])}项目标已过完成期限仍未完成，请牵头单位说明原因并限期完成。", keep_with_next=True)
        rows = [[str(i), r["title"], r["lead_unit"], cn_date(r["deadline"]), r["figure"], r["completion"]]
                for i, r in enumerate(data["overdue_unmet"], 1)]
        _table(doc, ["序号", "目标", "牵头单位", "完成期限", "最新采纳值", "完成度"], LATE_WIDTHS, rows, left={1},
               wrap={1})
    else:
        _body(doc, "本月无逾期未完成目标。")

    _heading1(doc, f"{next(n)}、督办事项逾期情况")
    if data["supervision"]:
        _body(doc, f"截至{month.month}月底，以下{len(data['supervision'])}件督办事项已超过办理期限仍未办结。", keep_with_next=True)
        rows = [[str(i), s["number"], s["title"], s["lead_unit"], cn_date(s["deadline"]), f"{s['days_overdue']}天"]
                for i, s in enumerate(data["supervision"], 1)]
        _table(doc, ["序号", "编号", "督办事项", "牵头单位", "办理期限", "逾期天数"], SUPERVISION_WIDTHS, rows,
               left={2}, wrap={2, 3})
    else:
        _body(doc, "本月无逾期督办事项。")

    _heading1(doc, f"{next(n)}、牵头单位推进情况排名")
    if data["ranking"]:
        rows = [[str(r["rank"]), r["unit"], str(r["total"]), str(r["good"]),
                 r["share"], str(r["red"]), r["note"]] for r in data["ranking"]]
        _table(doc, ["名次", "牵头单位", "牵头目标数", "绿灯及已完成", "占比", "红灯数", "说明"], RANKING_WIDTHS,
               rows, left={1, 6}, wrap={1, 6})
        _body(doc, data["ranking_note"])
    else:
        _body(doc, "本月无可排名的牵头单位。")

    _heading1(doc, f"{next(n)}、下步工作要求")
    for text in _paragraphs(data.get("requirements") or DEFAULT_REQUIREMENTS):
        _body(doc, text)

    # 版记: 抄送 and the issuing line between rules.
    _para(doc, exact=Pt(28))
    if data.get("cc"):
        cc = _para(doc, exact=Pt(28))
        cc.paragraph_format.left_indent = Pt(14)
        _run(cc, f"抄送：{data['cc']}。", FONT_BODY, SIHAO)
        _border(cc, "top", size=8, space=4)
    imprint = _para(doc, exact=Pt(28))
    imprint.paragraph_format.left_indent = Pt(14)
    imprint.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    _run(imprint, f"{issuer}\t{cn_date(data['issued_on'])}印发", FONT_BODY, SIHAO)
    if not data.get("cc"):
        _border(imprint, "top", size=8, space=4)
    _border(imprint, "bottom", size=8, space=4)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(text: str) -> list[str]:
    """Edited text as body paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
