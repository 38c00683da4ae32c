"""The .xlsx machinery and the target export, read back with python-calamine."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from yuanqu.core.xlsx import Column, Sheet, content_disposition, write_sheets
from yuanqu.plans.filters import filtered_target_queryset
from yuanqu.plans.models import Section, Target

from ..factories import make_target
from .conftest import YEAR, file_report

EXPORT = reverse("reports:export_targets")
HEADERS = ["章节", "目标", "指标", "目标值", "牵头单位", "配合单位", "完成期限", "最新采纳值", "完成度", "序时进度", "状态"]


def read_sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def export(client, user, **params):
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response.streaming  # written to a temporary file and streamed, never held whole
    return response, read_sheet(b"".join(response.streaming_content))


def titles(rows: list[list]) -> list[str]:
    return [r[1] for r in rows[2:]]


def test_column_reads_attribute_paths_dicts_and_callables():
    row = {"a": {"b": 3}, "name": "x"}
    assert Column("A", "a.b").value(row) == 3
    assert Column("A", "a.missing.c").value(row) is None
    assert Column("N", lambda r: r["name"] * 2).value(row) == "xx"


def test_workbook_has_a_note_line_bold_filled_frozen_headers_and_an_autofilter(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [{"n": "甲", "v": Decimal("1.5"), "d": dt.date(2025, 3, 1), "p": 0.5}, {"n": "乙", "v": None, "d": None, "p": 1}]
    columns = [Column("名称", "n", width=20), Column("数值", "v", number_format="0.00"), Column("日期", "d"),
               Column("占比", "p", number_format="0.0%")]
    [count] = write_sheets(str(path), [Sheet("测试表", columns, iter(rows), filters_note="状态：红灯")])
    assert count == 2
    sheet = read_sheet(path.read_bytes())
    assert sheet[0][0].startswith("测试表；状态：红灯；导出时间：")
    assert sheet[1] == ["名称", "数值", "日期", "占比"]
    assert sheet[2] == ["甲", 1.5, dt.date(2025, 3, 1), 0.5]
    assert sheet[3][0] == "乙" and sheet[3][1] == ""
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '<autoFilter ref="A2:D4"/>' in xml
    assert 'ySplit="2"' in xml and 'state="frozen"' in xml
    styles = zipfile.ZipFile(path).read("xl/styles.xml").decode()
    assert "<b/>" in styles and 'rgb="FFDDEBF7"' in styles


@pytest.mark.parametrize(
    "name,fallback,expected",
    [
        ("目标清单-2025年-20250705.xlsx", None,
         "attachment; filename=\"export-2025-20250705.xlsx\"; "
         "filename*=UTF-8''%E7%9B%AE%E6%A0%87%E6%B8%85%E5%8D%95-2025%E5%B9%B4-20250705.xlsx"),
        ("通报.docx", None, "attachment; filename=\"export.docx\"; filename*=UTF-8''%E9%80%9A%E6%8A%A5.docx"),
        ("plain.xlsx", None, "attachment; filename=\"plain.xlsx\"; filename*=UTF-8''plain.xlsx"),
        ('通报".docx', 'a"b.docx', "attachment; filename=\"ab.docx\"; filename*=UTF-8''%E9%80%9A%E6%8A%A5%22.docx"),
    ],
)
def test_content_disposition_carries_the_chinese_name_and_an_ascii_fallback(name, fallback, expected):
    assert content_disposition(name, fallback) == expected


def test_export_has_the_headers_and_every_visible_target_for_a_supervisor(client, users, june_plan):
    response, rows = export(client, users["supervisor"], plan=june_plan.pk)
    assert rows[1] == HEADERS
    assert len(rows) == 2 + 6
    assert "filename*=UTF-8''%E7%9B%AE%E6%A0%87%E6%B8%85%E5%8D%95" in response["Content-Disposition"]
    note = rows[0][0]
    assert "计划：2025年 2025年度工作计划" in note and "范围：全部目标" in note and "共6项" in note
    by_title = {r[1]: r for r in rows[2:]}
    green = by_title["招引项目100个"]
    assert green[0] == "一、招商引资" and green[3] == "不低于100个" and green[4] == "招商局" and green[5] == "农业农村局"
    assert green[6] == dt.date(YEAR, 12, 31) and green[7] == 60.0 and green[8] == pytest.approx(0.6)
    assert green[9] == pytest.approx(1.0)  # the plan year is over: 序时进度 100%
    done = by_title["培育新型农民不少于150人"]
    assert (done[8], done[10]) == (pytest.approx(1.0), "已完成")
    assert by_title["三南村创建成省级水美乡村"][7] == "完成45%"
    assert by_title["建成高标准农田1000亩"][7] == ""


@pytest.mark.parametrize(
    "role,expected",
    [
        ("invest", {"招引项目100个", "新增规上企业20家", "完成固定资产投资50亿元"}),
        # 农业农村局 leads two, its village leads one, and it assists 招引项目.
        ("agri", {"招引项目100个", "培育新型农民不少于150人", "建成高标准农田1000亩", "三南村创建成省级水美乡村"}),
        ("village", {"三南村创建成省级水美乡村"}),
        ("nounit", set()),
    ],
)
def test_a_reporters_export_holds_only_their_scope(client, users, june_plan, role, expected):
    _response, rows = export(client, users[role], plan=june_plan.pk)
    assert set(titles(rows)) == expected
    if role != "nounit":
        assert f"范围：{users[role].unit.name}及下属单位牵头或配合的目标" in rows[0][0]


@pytest.mark.parametrize(
    "params,expected,note",
    [
        ({"section": "S2"}, ["培育新型农民不少于150人", "建成高标准农田1000亩", "三南村创建成省级水美乡村"], "章节：二、乡村振兴"),
        ({"unit": "AGRI"}, ["培育新型农民不少于150人", "建成高标准农田1000亩"], "牵头单位：农业农村局"),
        ({"kind": "milestone"}, ["三南村创建成省级水美乡村"], "指标类型：里程碑"),
        ({"q": "农"}, ["培育新型农民不少于150人", "建成高标准农田1000亩"], "搜索：“农”"),
        ({"status": "done"}, ["培育新型农民不少于150人"], "状态：已完成"),
        ({"status": "bogus", "kind": "bogus", "section": "x"}, None, "范围：全部目标"),
    ],
)
def test_export_applies_the_list_filters(client, users, units, june_plan, params, expected, note):
    ids = {"S2": str(june_plan.sections.get(no="二").pk), "AGRI": str(units["agri"].pk)}
    params = {k: ids.get(v, v) for k, v in params.items()}
    _response, rows = export(client, users["supervisor"], plan=june_plan.pk, **params)
    if expected is None:
        assert len(rows) == 2 + 6  # invalid values are ignored, as on the list page
    else:
        assert titles(rows) == expected
    assert note in rows[0][0]


def test_the_list_filter_returns_the_rows_the_export_does(users, june_plan):
    on = dt.date(YEAR, 6, 30)
    _filters, targets = filtered_target_queryset(users["agri"], {"plan": str(june_plan.pk), "status": "red"}, on)
    # On 2025-06-30 none of the targets 农业农村局 sees is red; two of 招商局's are.
    assert [t.title for t in targets] == []
    _filters, targets = filtered_target_queryset(users["invest"], {"plan": str(june_plan.pk), "status": "red"}, on)
    assert [t.title for t in targets] == ["新增规上企业20家", "完成固定资产投资50亿元"]
    assert {t.status for t in targets} == {"red"}


def test_a_plan_the_user_cannot_see_is_a_404_and_anonymous_goes_to_login(client, users, june_plan):
    client.force_login(users["supervisor"])
    assert client.get(EXPORT, {"plan": 999999}).status_code == 404
    client.logout()
    response = client.get(EXPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def test_export_query_count_does_not_grow_with_rows(client, users, units, june_plan):
    client.force_login(users["supervisor"])
    with CaptureQueriesContext(connection) as small:
        export(client, users["supervisor"], plan=june_plan.pk)
    section = Section.objects.create(plan=june_plan, no="三", title="社会事业", order=2)
    for i in range(20):
        t = make_target(june_plan, section, units["invest"], f"扩展目标{i}", target_value=Decimal("10"))
        t.cooperating_units.add(units["agri"], units["village"])
        file_report(users["invest"], users["supervisor"], t, value=str(i))
    make_target(june_plan, section, units["agri"], "台账目标", kind=Target.Kind.LEDGER)
    with CaptureQueriesContext(connection) as large:
        _response, rows = export(client, users["supervisor"], plan=june_plan.pk)
    assert len(rows) == 2 + 27
    assert len(large) <= len(small) + 1  # + the ledger count, once a ledger target exists


def test_the_export_note_never_names_a_section_of_another_plan(client, users, june_plan):
    from yuanqu.plans.models import Plan, Section

    draft = Plan.objects.create(year=2031, title="草稿", source_text="x")
    secret = Section.objects.create(plan=draft, no="九", title="尚未公布的章节")
    client.login(username=users["agri"].username, password="yuanqu-test-pw")
    response = client.get("/reports/export/targets.xlsx", {"plan": june_plan.pk, "section": secret.pk})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert "尚未公布的章节" not in content.decode("latin-1")
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    first = book.get_sheet_by_index(0).to_python()[0][0]
    assert "尚未公布" not in first and "章节：（不存在）" in first


def test_a_big_export_reads_its_targets_in_chunks_and_is_one_valid_workbook(client, users, units, june_plan,
                                                                            monkeypatch):
    from yuanqu.reports import views

    section = Section.objects.create(plan=june_plan, no="三", title="社会事业", order=2)
    for i in range(17):
        make_target(june_plan, section, units["invest"], f"分块目标{i:02d}", target_value=Decimal("10"))
    chunks = []
    real = views.target_facts

    def spy(targets, on):
        chunks.append(len(targets))
        return real(targets, on)

    monkeypatch.setattr(views, "EXPORT_CHUNK", 7)
    monkeypatch.setattr(views, "target_facts", spy)
    _response, rows = export(client, users["supervisor"], plan=june_plan.pk)
    total = Target.objects.alive().filter(plan=june_plan).count()
    # Every chunk but the last is full: the rows came from an iterator, EXPORT_CHUNK at a time.
    assert sum(chunks) == total and all(n == 7 for n in chunks[:-1]) and 0 < chunks[-1] <= 7 and len(chunks) >= 3
    assert len(rows) == 2 + total and rows[1] == HEADERS
    assert titles(rows)[-17:] == [f"分块目标{i:02d}" for i in range(17)]
    assert f"共{total}项" in rows[0][0]
