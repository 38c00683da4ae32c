"""The bulletin's content and layout, read back from the .docx."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.oxml.ns import qn

from yuanqu.plans.models import Section, Target
from yuanqu.plans.selectors import evaluate_targets
from yuanqu.plans.status import Status
from yuanqu.reports.bulletin import bulletin_data, render_docx, unit_ranking
from yuanqu.supervision.models import SupervisionItem

from ..factories import make_target
from .conftest import FILED_ON, JUNE, YEAR, file_report
from .helpers import (
    LATE_HEADERS,
    RANKING_HEADERS,
    RED_HEADERS,
    SECTION_HEADERS,
    SUPERVISION_HEADERS,
    column,
    east_asia_fonts,
    open_docx,
    paragraphs,
    table_by_headers,
)

CUTOFF = dt.date(YEAR, 6, 30)


def june_data(plan, user, **kw):
    return bulletin_data(plan=plan, month=JUNE, user=user, issued_on=FILED_ON, **kw)


@pytest.fixture
def june_doc(june_plan, users):
    return open_docx(render_docx(june_data(june_plan, users["supervisor"])))


def test_masthead_has_title_issue_office_and_date(june_doc, users):
    texts = paragraphs(june_doc)
    assert texts[0] == "督查通报"
    assert texts[1] == "2025年第6期"
    assert texts[2] == f"{users['supervisor'].unit.name}\t2025年7月5日"
    assert "关于2025年6月年度工作目标推进情况的通报" in texts


def test_summary_counts_are_the_selectors_counts(june_plan, june_doc):
    targets = Target.objects.filter(plan=june_plan).select_related("plan")
    counts = Counter(ev.status for ev in evaluate_targets(targets, CUTOFF).values())
    assert counts == {Status.DONE: 1, Status.GREEN: 1, Status.YELLOW: 1, Status.RED: 2, Status.NOT_STARTED: 1}
    summary = next(t for t in paragraphs(june_doc) if t.startswith("截至2025年6月底"))
    assert (
        f"全区6项目标中，已完成{counts[Status.DONE]}项、绿灯{counts[Status.GREEN]}项、黄灯{counts[Status.YELLOW]}项、"
        f"红灯{counts[Status.RED]}项、未开始{counts[Status.NOT_STARTED]}项。"
    ) in summary
    assert "其中已过完成期限仍未完成的1项" in summary


def test_each_section_has_a_table_with_its_targets_and_lights(june_doc):
    first, second = table_by_headers(june_doc, SECTION_HEADERS)
    assert column(first, 1) == ["招引项目100个", "新增规上企业20家", "完成固定资产投资50亿元"]
    assert column(first, 7) == ["绿灯", "红灯", "红灯"]
    assert column(second, 1) == ["培育新型农民不少于150人", "建成高标准农田1000亩", "三南村创建成省级水美乡村"]
    assert column(second, 7) == ["已完成", "未开始", "黄灯"]
    # Target display, latest accepted figure, completion and 序时进度 of the red one.
    assert [c.text for c in first.rows[2].cells[3:7]] == ["不低于20家", "4家", "20.0%", "49.6%"]


def test_red_and_past_deadline_targets_are_listed_with_their_lead_units(june_doc):
    (red,) = table_by_headers(june_doc, RED_HEADERS)
    assert column(red, 1) == ["新增规上企业20家"]
    assert column(red, 2) == ["招商局"]
    assert column(red, 5) == ["落后序时进度29.6个百分点"]
    (late,) = table_by_headers(june_doc, LATE_HEADERS)
    assert [c.text for c in late.rows[1].cells[1:4]] == ["完成固定资产投资50亿元", "招商局", "2025年5月31日"]


def test_pending_reports_do_not_count_in_the_bulletin(june_plan, users):
    # A pending report for the red target would make it done; until accepted it stays red.
    file_report(users["invest"], users["supervisor"], june_plan.t["red"], value="20", accept=False)
    data = june_data(june_plan, users["supervisor"])
    assert [r["title"] for r in data["red"]] == ["新增规上企业20家"]


def test_units_are_ranked_by_share_of_green_or_done_then_fewer_reds(june_doc):
    (ranking,) = table_by_headers(june_doc, RANKING_HEADERS)
    assert column(ranking, 1) == ["农业农村局", "招商局", "三南村"]
    assert column(ranking, 4) == ["50.0%", "33.3%", "0.0%"]
    assert column(ranking, 5) == ["0", "2", "0"]


def test_the_ranking_says_it_is_not_the_assessment_and_how_not_started_targets_count(june_doc):
    # 农业农村局 leads one done and one not begun (50%): the assessment leaves the second out, the
    # ranking counts it in the denominator; the bulletin says so under the table.
    text = "".join(paragraphs(june_doc))
    assert "未开始的目标计入牵头目标数，不计入绿灯及已完成" in text
    assert "不是年度目标管理绩效考核得分" in text and "未开始的目标不计分" in text


def _fake(pk, unit_id, name, status):
    unit = SimpleNamespace(name=name, order=0)
    return SimpleNamespace(pk=pk, lead_unit_id=unit_id, lead_unit=unit), SimpleNamespace(status=status)


def test_ranking_ties_share_a_place_and_equal_shares_are_explained():
    g, r, y = Status.GREEN, Status.RED, Status.YELLOW
    rows = [
        _fake(1, 10, "甲局", g), _fake(2, 10, "甲局", y),  # 50%, no red
        _fake(3, 20, "乙局", g), _fake(4, 20, "乙局", r),  # 50%, one red
        _fake(5, 30, "丙局", g), _fake(6, 30, "丙局", y),  # 50%, no red: ties with 甲局
        _fake(7, None, "", r),  # no lead unit: not ranked
    ]
    targets = [t for t, _ in rows]
    facts = {t.pk: f for t, f in rows}
    ranking, note = unit_ranking(targets, facts)
    assert [(x["rank"], x["unit"], x["tied"]) for x in ranking] == [(1, "甲局", True), (1, "丙局", True),
                                                                     (3, "乙局", False)]
    assert "与丙局并列" in ranking[0]["note"] and "占比与乙局相同" in ranking[0]["note"]
    assert ranking[2]["note"] == "占比与甲局、丙局相同，按红灯数排序"
    assert "红灯数少者在前" in note and "未明确牵头单位的目标不参与排名" in note


def test_a_large_tie_is_counted_rather_than_listed():
    rows = [_fake(i, 10 + i, f"单位{i}", Status.GREEN) for i in range(4)]
    ranking, _note = unit_ranking([t for t, _ in rows], {t.pk: f for t, f in rows})
    assert {x["rank"] for x in ranking} == {1}
    assert {x["note"] for x in ranking} == {"4个单位并列"}


def test_overdue_supervision_items_are_listed(june_plan, users, units):
    common = {"year": YEAR, "lead_unit": units["invest"], "deadline": dt.date(YEAR, 6, 10)}
    SupervisionItem.objects.create(seq=1, number="督〔2025〕1号", title="推进标准厂房建设", state="in_progress",
                                          **common)
    SupervisionItem.objects.create(seq=2, number="督〔2025〕2号", title="已办结的事项", state="closed",
                                          closed_on=dt.date(YEAR, 6, 20), **common)
    SupervisionItem.objects.create(seq=3, number="督〔2025〕3号", title="尚未到期的事项", state="in_progress",
                                          **{**common, "deadline": dt.date(YEAR, 7, 10)})
    doc = open_docx(render_docx(june_data(june_plan, users["supervisor"])))
    (table,) = table_by_headers(doc, SUPERVISION_HEADERS)
    assert [c.text for c in table.rows[1].cells[1:]] == ["督〔2025〕1号", "推进标准厂房建设", "招商局", "2025年6月10日",
                                                         "20天"]
    assert len(table.rows) == 2


def test_without_the_supervision_app_the_section_says_none_overdue(june_plan, users, monkeypatch):
    monkeypatch.setitem(sys.modules, "yuanqu.supervision.selectors", None)  # import now raises ImportError
    data = june_data(june_plan, users["supervisor"])
    assert data["supervision"] == []
    doc = open_docx(render_docx(data))
    assert "本月无逾期督办事项。" in paragraphs(doc)
    assert not table_by_headers(doc, SUPERVISION_HEADERS)


def test_a_reporter_would_only_get_their_units_targets(june_plan, users):
    data = june_data(june_plan, users["invest"])
    assert data["total"] == 3
    assert {r["lead_unit"] for s in data["sections"] for r in s["rows"]} == {"招商局"}


def test_page_is_a4_portrait_with_official_margins(june_doc):
    section = june_doc.sections[0]
    measured = [section.page_width.cm, section.page_height.cm, section.top_margin.cm, section.bottom_margin.cm,
                section.left_margin.cm, section.right_margin.cm]
    assert measured == pytest.approx([21.0, 29.7, 3.7, 3.5, 2.8, 2.6], abs=0.01)
    assert section.page_height > section.page_width


def test_chinese_fonts_are_set_for_east_asian_text_and_tables_repeat_headers(june_doc):
    paras = june_doc.paragraphs
    assert east_asia_fonts(paras[0]._p) == {"方正小标宋简体"}
    assert paras[0].runs[0].font.size.pt == 22  # 二号
    body = next(p for p in paras if p.text.startswith("截至"))
    assert east_asia_fonts(body._p) == {"仿宋_GB2312"} and body.runs[0].font.size.pt == 16  # 三号
    for table in june_doc.tables:
        assert east_asia_fonts(table._tbl) == {"宋体"}
        assert {r.font.size.pt for p in table.rows[1].cells[1].paragraphs for r in p.runs} == {10.5}  # 五号
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"
    # The red line under the issuing office.
    bottom = paras[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    # Word/WPS fall back to installed fonts named in the font table.
    font_table = next(r.target_part for r in june_doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table.blob.decode()


# Child order that the OOXML schema prescribes for the elements this layout writes (Word refuses
# files that break it, where LibreOffice is lenient).
SEQUENCES = {
    "tcPr": ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"],
    "pPr": ["pStyle", "keepNext", "keepLines", "pBdr", "shd", "tabs", "spacing", "ind", "jc"],
    "tblPr": ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook"],
    "pBdr": ["top", "left", "bottom", "right"],
}


def test_elements_follow_the_schemas_order(june_doc):
    roots = [june_doc.element, june_doc.sections[0].footer._element]
    for root in roots:
        for parent, order in SEQUENCES.items():
            for element in root.iter(qn(f"w:{parent}")):
                names = [child.tag.split("}")[1] for child in element]
                known = [n for n in names if n in order]
                assert known == sorted(known, key=order.index), (parent, names)


def test_query_count_does_not_grow_with_targets(june_plan, users):
    user = users["supervisor"]
    with CaptureQueriesContext(connection) as small:
        june_data(june_plan, user)
    section = Section.objects.create(plan=june_plan, no="三", title="社会事业", order=2)
    for i in range(15):
        t = make_target(june_plan, section, [users["invest"].unit, users["agri"].unit][i % 2], f"新增目标{i}",
                        target_value=Decimal("10"))
        file_report(users["invest"] if i % 2 == 0 else users["agri"], user, t, value=str(i))
    make_target(june_plan, section, None, "未定牵头单位的目标", kind=Target.Kind.LEDGER)
    with CaptureQueriesContext(connection) as large:
        data = june_data(june_plan, user)
    assert data["total"] == 22
    # One more query at most: ledger counts run only once a ledger target exists.
    assert len(large) <= len(small) + 1
    assert len(large) <= 8


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_opens_the_bulletin_and_shows_its_text(june_plan, users, tmp_path):
    source = tmp_path / "bulletin.docx"
    source.write_bytes(render_docx(june_data(june_plan, users["supervisor"])))
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "bulletin.pdf"
    assert pdf.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                              text=True).stdout
        compact = "".join(text.split())
        assert "督查通报" in compact and "新增规上企业20家" in compact and "2025年第6期" in compact
