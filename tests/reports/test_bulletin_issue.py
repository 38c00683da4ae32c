"""Bulletins as the office issues them: a draft's wording edited, issued once, frozen afterwards;
the issuer, 主送, 抄送 and 签发人 on the document; the unit's own 存在问题 as the reason; column
widths that hold their figures; who may do what, and flat query counts."""

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.shared import Emu

from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.models import ChangeRecord
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import ProgressReport
from yuanqu.reports import bulletin as layout
from yuanqu.reports.models import Bulletin
from yuanqu.reports.services import bulletin_content, bulletin_edit, bulletin_generate, bulletin_issue

from ..factories import make_target, make_user
from .conftest import FILED_ON, JUNE, file_report
from .helpers import RED_HEADERS, column, open_docx, paragraphs, table_by_headers

WORDING = {
    "issuer": "园区管委会督查室",
    "main_to": "各部门、各片区、各村（社区）",
    "cc": "管委会主任、副主任",
    "signer": "周建国",
    "overview": "六月全区目标推进总体平稳。\n招商引资两项目标亮红灯，需重点关注。",
    "requirements": "一要对照红灯目标逐项整改。\n二要按时报送七月进度。",
}


def generate(plan, actor):
    return bulletin_generate(actor=actor, plan=plan, month=JUNE, today=FILED_ON)


def stored_files(media_root) -> list:
    root = media_root / "bulletins"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ---------------------------------------------------------------- services


def test_a_draft_is_edited_then_issued_with_the_wording_on_the_document(june_plan, users, media_root):
    draft = generate(june_plan, users["supervisor"])
    assert draft.is_draft and draft.overview.startswith("截至2025年6月底") and draft.revision == 0
    edited = bulletin_edit(actor=users["supervisor"], bulletin=draft, changes=WORDING, expected_revision=0)
    assert edited.revision == 1 and edited.is_draft and stored_files(media_root) == []
    record = ChangeRecord.objects.filter(object_id=draft.pk, action=ChangeRecord.Action.UPDATE).get()
    assert record.before["signer"] == "" and record.after["signer"] == "周建国"

    preview = paragraphs(open_docx(bulletin_content(edited)))
    assert preview[1] == "2025年第6期（草稿）"

    issued = bulletin_issue(actor=users["admin"], bulletin=edited, expected_revision=1, today=dt.date(2025, 7, 8))
    assert (issued.status, issued.issued_by, issued.issued_on) == (Bulletin.Status.ISSUED, users["admin"],
                                                                  dt.date(2025, 7, 8))
    assert stored_files(media_root) == [media_root / issued.file.name]
    texts = paragraphs(open_docx(bulletin_content(issued)))
    assert texts[1] == "2025年第6期"
    assert texts[2] == "园区管委会督查室\t签发人：周建国　2025年7月8日"
    assert "各部门、各片区、各村（社区）：" in texts  # 主送, under the title
    assert "六月全区目标推进总体平稳。" in texts and "招商引资两项目标亮红灯，需重点关注。" in texts
    assert "一要对照红灯目标逐项整改。" in texts and "二要按时报送七月进度。" in texts
    assert "抄送：管委会主任、副主任。" in texts
    assert texts[-1] == "园区管委会督查室\t2025年7月8日印发"


def test_an_issued_bulletin_is_frozen_and_an_edit_is_refused_in_chinese(june_plan, users, media_root):
    issued = bulletin_edit(actor=users["supervisor"], bulletin=generate(june_plan, users["supervisor"]),
                           changes=WORDING, issue=True, today=FILED_ON)
    content = (media_root / issued.file.name).read_bytes()
    changes_before = ChangeRecord.objects.count()
    for attempt in (
        lambda: bulletin_edit(actor=users["supervisor"], bulletin=issued, changes={"overview": "改写"}),
        lambda: bulletin_issue(actor=users["supervisor"], bulletin=issued),
    ):
        with pytest.raises(ApplicationError) as exc:
            attempt()
        assert "已于" in exc.value.message and "印发，内容已冻结，不能修改" in exc.value.message
        assert "请重新生成该月通报（将保存为新版本）" in exc.value.message
    issued.refresh_from_db()
    assert issued.overview == WORDING["overview"] and issued.revision == 1
    assert (media_root / issued.file.name).read_bytes() == content and len(stored_files(media_root)) == 1
    assert ChangeRecord.objects.count() == changes_before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signer": ""}, "signer", "印发前请填写签发人。"),
        ({"main_to": "  "}, "main_to", "印发前请填写主送。"),
        ({"overview": ""}, "overview", "总体情况不能为空，请填写。"),
        ({"issuer": "督" * 101}, "issuer", "发文机关最多100个字，现为101个字，请删减。"),
    ],
)
def test_incomplete_wording_is_refused_naming_the_field_and_nothing_is_written(
    june_plan, users, media_root, changes, field, message
):
    draft = generate(june_plan, users["supervisor"])
    with pytest.raises(ApplicationError) as exc:
        bulletin_edit(actor=users["supervisor"], bulletin=draft, changes={**WORDING, **changes}, issue=True)
    assert (exc.value.field, exc.value.message) == (field, message)
    draft.refresh_from_db()
    assert draft.is_draft and draft.revision == 0 and draft.signer == "" and stored_files(media_root) == []


def test_an_edit_from_a_stale_page_is_refused(june_plan, users):
    draft = generate(june_plan, users["supervisor"])
    bulletin_edit(actor=users["supervisor"], bulletin=draft, changes={"signer": "周建国"}, expected_revision=0)
    with pytest.raises(ConflictError, match="已被他人修改（当前为第1次修改），请刷新页面后重新编辑"):
        bulletin_edit(actor=users["admin"], bulletin=draft, changes={"signer": "李四"}, expected_revision=0)
    draft.refresh_from_db()
    assert draft.signer == "周建国"


@pytest.mark.parametrize("role", ["leader", "invest", "village", "nounit"])
def test_only_the_office_and_administrators_edit_and_issue(june_plan, users, role):
    draft = generate(june_plan, users["supervisor"])
    with pytest.raises(PermissionDeniedError, match="只有督查室或系统管理员可以修改督查通报"):
        bulletin_edit(actor=users[role], bulletin=draft, changes={"signer": "某人"})
    with pytest.raises(PermissionDeniedError, match="只有督查室或系统管理员可以印发督查通报"):
        bulletin_issue(actor=users[role], bulletin=draft)
    draft.refresh_from_db()
    assert draft.is_draft and draft.signer == ""


def test_the_issuer_is_the_zones_administration_with_its_office_and_the_next_draft_keeps_the_offices_choices(
    june_plan, users, units
):
    office = OrgUnit.objects.create(name="督查室", parent=units["committee"])
    supervisor = make_user("office1", Role.SUPERVISOR, office)
    first = generate(june_plan, supervisor)
    assert (first.issuer, first.main_to, first.cc, first.signer) == (
        "管委会督查室", layout.DEFAULT_MAIN_TO, layout.DEFAULT_CC, "")
    bulletin_edit(actor=supervisor, bulletin=first, changes=WORDING, issue=True, today=FILED_ON)
    second = generate(june_plan, supervisor)
    assert (second.issuer, second.main_to, second.cc, second.signer) == (
        WORDING["issuer"], WORDING["main_to"], WORDING["cc"], WORDING["signer"])
    assert second.overview.startswith("截至2025年6月底")  # the text is the month's own, not carried over


# ---------------------------------------------------------------- the document


def test_the_reason_quotes_the_units_own_problems_from_its_report(june_plan, users):
    red = june_plan.t["red"]
    report = ProgressReport.objects.get(target=red, review=ProgressReport.Review.ACCEPTED)
    ProgressReport.objects.filter(pk=report.pk).update(problems="两家企业  入规材料\n尚在补正")
    doc = open_docx(bulletin_content(generate(june_plan, users["supervisor"])))
    (table,) = table_by_headers(doc, RED_HEADERS)
    assert column(table, 5) == ["落后序时进度29.6个百分点。单位反映存在问题：“两家企业 入规材料 尚在补正”"]


def test_a_red_target_without_problems_keeps_the_plain_reason(june_plan, users):
    doc = open_docx(bulletin_content(generate(june_plan, users["supervisor"])))
    (table,) = table_by_headers(doc, RED_HEADERS)
    assert column(table, 5) == ["落后序时进度29.6个百分点"]


EM_PER_CHAR = {True: 1.0, False: 0.5}  # a CJK (full-width) character, anything else (digits, %, Latin)


def _needed_cm(text: str, size_pt: float) -> float:
    ems = sum(EM_PER_CHAR[ord(c) > 0x2E80] for c in text)
    return ems * size_pt * 2.54 / 72 + 2 * layout.CELL_MARGIN_CM


WRAPPING = {"目标", "原因", "说明", "督办事项", "章节", "牵头单位"}  # text columns meant to wrap


def test_columns_hold_their_figures_and_headers_on_one_line(june_plan, users, units):
    section = june_plan.sections.first()
    t = make_target(june_plan, section, units["invest"], "确保全区92个基层党组织全部达标", target_value=Decimal("92"))
    file_report(users["invest"], users["supervisor"], t, value="91")
    doc = open_docx(bulletin_content(generate(june_plan, users["supervisor"])))
    assert any("不低于92个" in c.text for table in doc.tables for row in table.rows for c in row.cells)
    size = layout.TABLE_SIZE.pt
    checked = 0
    for table in doc.tables:
        widths = [Emu(int(col.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) * 635).cm
                  for col in table._tbl.tblGrid.gridCol_lst]
        headers = [c.text for c in table.rows[0].cells]
        assert sum(widths) == pytest.approx(15.6, abs=0.05)  # the text width, no more
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                if headers[i] in WRAPPING:
                    continue
                assert _needed_cm(cell.text, size) <= widths[i] + 1e-6, (headers[i], cell.text, widths[i])
                checked += 1
    assert checked > 50


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler missing")
def test_libreoffice_keeps_92_and_schedule_on_one_line(june_plan, users, units, tmp_path):
    section = june_plan.sections.first()
    t = make_target(june_plan, section, units["invest"], "确保全区92个基层党组织全部达标", target_value=Decimal("92"))
    file_report(users["invest"], users["supervisor"], t, value="91")
    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin_content(generate(june_plan, users["supervisor"])))
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bulletin.pdf"), "-"], capture_output=True,
                          check=True, text=True).stdout
    lines = [line.replace(" ", "") for line in text.splitlines()]  # pdftotext spaces Chinese from digits
    assert any("不低于92个" in line for line in lines)
    assert sum("序时进度" in line for line in lines) >= 3  # the headers of the section and red tables


# ---------------------------------------------------------------- pages


def edit_url(bulletin):
    return reverse("reports:bulletin_edit", args=[bulletin.pk])


def posted(bulletin, action="save", **changes):
    return {**WORDING, **changes, "revision": bulletin.revision, "action": action}


@pytest.mark.parametrize(
    ("role", "list_code", "edit_code", "may_write"),
    [
        ("admin", 200, 200, True),
        ("supervisor", 200, 200, True),
        ("leader", 200, 403, False),
        ("leader_invest", 200, 403, False),
        ("invest", 403, 403, False),
        ("village", 403, 403, False),
        ("nounit", 403, 403, False),
    ],
)
def test_role_matrix_for_editing_and_issuing(client, users, june_plan, role, list_code, edit_code, may_write):
    draft = generate(june_plan, users["supervisor"])
    client.force_login(users[role])
    listing = client.get(reverse("reports:bulletin_list"))
    assert listing.status_code == list_code
    if list_code == 200:
        assert (edit_url(draft) in listing.content.decode()) is may_write
    assert client.get(edit_url(draft)).status_code == edit_code
    saved = client.post(edit_url(draft), posted(draft))
    assert saved.status_code == (302 if may_write else 403)
    draft.refresh_from_db()
    issued = client.post(edit_url(draft), posted(draft, action="issue", signer="王五"))
    draft.refresh_from_db()
    if may_write:
        assert issued.status_code == 302 and draft.status == Bulletin.Status.ISSUED and draft.signer == "王五"
        assert draft.issued_by == users[role]
    else:
        assert issued.status_code == 403 and draft.is_draft and draft.signer == ""
    download = client.get(reverse("reports:bulletin_download", args=[draft.pk]))
    assert download.status_code == (200 if list_code == 200 else 403)


def test_anonymous_is_sent_to_login(client, users, june_plan):
    draft = generate(june_plan, users["supervisor"])
    response = client.post(edit_url(draft), posted(draft, action="issue"))
    assert response.status_code == 302 and "login" in response["Location"]
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_page_shows_the_services_message_and_keeps_what_was_typed(client, users, june_plan, media_root):
    draft = generate(june_plan, users["supervisor"])
    client.force_login(users["supervisor"])
    response = client.post(edit_url(draft), posted(draft, action="issue", signer="", overview="我写的总体情况"))
    html = response.content.decode()
    assert response.status_code == 200 and "印发前请填写签发人。" in html and "我写的总体情况" in html
    draft.refresh_from_db()
    assert draft.is_draft and draft.overview != "我写的总体情况" and stored_files(media_root) == []


def test_an_issued_bulletins_page_is_read_only_and_a_post_is_refused_in_chinese(client, users, june_plan):
    issued = bulletin_edit(actor=users["supervisor"], bulletin=generate(june_plan, users["supervisor"]),
                           changes=WORDING, issue=True, today=FILED_ON)
    client.force_login(users["supervisor"])
    page = client.get(edit_url(issued)).content.decode()
    assert "内容已冻结，不能修改" in page and 'name="overview"' not in page
    response = client.post(edit_url(issued), posted(issued, overview="改写"))
    assert response.status_code == 200 and "印发，内容已冻结，不能修改" in response.content.decode()
    issued.refresh_from_db()
    assert issued.overview == WORDING["overview"]


def test_a_draft_downloads_as_a_draft(client, users, june_plan):
    draft = generate(june_plan, users["supervisor"])
    client.force_login(users["leader"])
    response = client.get(reverse("reports:bulletin_download", args=[draft.pk]))
    assert paragraphs(open_docx(response.content))[1] == "2025年第6期（草稿）"
    assert 'filename="bulletin-2025-06-v1-draft.docx"' in response["Content-Disposition"]


def test_query_counts_do_not_grow_with_bulletins_or_targets(client, users, june_plan, units):
    client.force_login(users["supervisor"])
    draft = generate(june_plan, users["supervisor"])

    def counts():
        with CaptureQueriesContext(connection) as listing:
            assert client.get(reverse("reports:bulletin_list")).status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(edit_url(draft)).status_code == 200
        with CaptureQueriesContext(connection) as saving:
            draft.refresh_from_db()
            assert client.post(edit_url(draft), posted(draft, signer=f"签{draft.revision}")).status_code == 302
        return len(listing), len(page), len(saving)

    small = counts()
    section = june_plan.sections.first()
    for i in range(10):
        make_target(june_plan, section, units["invest"], f"新增目标{i}")
    for _ in range(4):
        bulletin_edit(actor=users["supervisor"], bulletin=generate(june_plan, users["supervisor"]), changes=WORDING,
                      issue=True, today=FILED_ON)
    assert counts() == small
