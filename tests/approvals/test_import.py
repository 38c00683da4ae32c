"""Importing the approval system's export: cases with their clocks, row errors named 第N行「列名」,
all-or-nothing, a re-import that changes nothing, revert; and the catalogue."""

from yuanqu.approvals.models import Case, ServiceItem, Suspension
from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch

from ..org.import_helpers import assert_errors, preview, run
from .conftest import D

HEADER = ["办件编号", "事项编码", "申请人", "办理单位", "收件日期", "补正告知日期", "补正完成日期", "受理日期", "办结日期",
          "送达日期", "中止时段", "备注"]
ROWS = [
    HEADER,
    ["SP-01", "XK-01", "甲公司", "", "2026-03-02", "", "", "2026-03-02", "2026-03-04", "2026-03-05", "", ""],
    ["SP-02", "XK-03", "乙公司", "招商局", "2026/3/2", "", "", "2026/3/2", "2026/3/27", "",
     "专家评审 2026-03-04至2026-03-09；公示 2026-03-18至2026-03-24", ""],
    ["SP-03", "XK-02", "丙", "", "2026-03-02", "2026-03-03", "2026-03-10", "2026-03-10", "", "", "", "补正后受理"],
]


def test_cases_are_imported_with_their_clocks(users, items):
    batch = run(users["admin"], "approvals.cases", ROWS)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 3)
    got = {c.number: c for c in Case.objects.all()}
    assert (got["SP-01"].due_on, got["SP-01"].days_accepted_decided, got["SP-01"].late) == (D(2026, 3, 4), 2, False)
    assert (got["SP-02"].due_on, got["SP-02"].suspended_days, got["SP-02"].handling_unit.name) == (
        D(2026, 3, 27), 9, "招商局")
    assert Suspension.objects.filter(case=got["SP-02"]).count() == 2
    assert got["SP-03"].decided_on is None and got["SP-03"].due_on == D(2026, 3, 13)
    assert got["SP-02"].inspection.due_on == D(2026, 4, 3)


def test_the_same_file_again_changes_nothing_even_with_dates_and_intervals_written_otherwise(users, items):
    run(users["admin"], "approvals.cases", ROWS)
    count = ChangeRecord.objects.count()
    same = [row[:] for row in ROWS]
    same[2][4] = "2026年3月2日"
    same[2][10] = "公示 2026/3/18~2026/3/24;专家评审 2026-03-04至2026-03-09"
    again = run(users["admin"], "approvals.cases", same)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert ChangeRecord.objects.count() == count


def test_a_changed_row_updates_the_clock_and_revert_puts_it_back(users, items):
    run(users["admin"], "approvals.cases", ROWS)
    changed = [row[:] for row in ROWS]
    changed[3][8] = "2026-03-20"  # SP-03 decided, after its due date 3-13
    batch = run(users["admin"], "approvals.cases", changed)
    case = Case.objects.get(number="SP-03")
    assert (batch.updated_count, case.late, case.days_accepted_decided) == (1, True, 8)
    import_revert(actor=users["admin"], batch=batch)
    case.refresh_from_db()
    assert (case.decided_on, case.late, case.days_accepted_decided) == (None, None, None)


def test_every_bad_row_is_named_and_nothing_is_written(users, items):
    rows = [
        HEADER,
        ["SP-01", "XK-99", "甲", "", "2026-03-02", "", "", "2026-03-02", "", "", "", ""],
        ["SP-02", "XK-01", "乙", "", "2026-03-02", "", "", "2026-03-09", "2026-03-05", "", "", ""],
        ["SP-03", "XK-01", "丙", "", "2026-03-02", "", "", "2026-03-02", "2026-03-05", "", "听证 2026-03-04至2026-03-12", ""],
        ["SP-04", "XK-01", "丁", "", "2026-03-02", "", "", "2026-03-02", "", "", "听证 三月", ""],
        ["SP-05", "XK-01", "戊", "", "2026-03-10", "", "", "2026-03-09", "", "", "", ""],
        ["SP-06", "XK-01", "己", "", "2026-03-02", "", "", "", "2026-03-05", "", "", ""],
        ["SP-01", "XK-01", "庚", "", "2026-03-02", "", "", "", "", "", "", ""],
    ]
    batch = preview(users["admin"], "approvals.cases", rows)
    errors = batch.errors
    assert_errors(errors,
                  "第2行「事项编码」：未找到事项“XK-99”…",
                  "第3行「受理日期」：受理日期（2026-03-09）不能晚于办结日期（2026-03-05）",
                  "第4行「中止时段」：中止时段“听证 2026-03-04至2026-03-12”不在办件期间内"
                  "（收件日期 2026-03-02 至办结日期 2026-03-05）",
                  "第5行「中止时段」：中止时段“听证 三月”应写作…",
                  "第6行「收件日期」：收件日期（2026-03-10）不能晚于受理日期（2026-03-09）",
                  "第7行「受理日期」：填写了办结日期，须先填写受理日期",
                  "第8行「办件编号」：“SP-01”与第2行重复…")
    assert not Case.objects.exists()


def test_the_catalogue_imports_and_refuses_a_promise_longer_than_the_law(users, db):
    header = ["事项编码", "事项名称", "事项类型", "网上办理深度", "办件类型", "法定办结时限", "承诺办结时限", "适用告知承诺"]
    ok = run(users["admin"], "approvals.items", [header, ["A-1", "企业设立登记", "行政许可", "全程网办", "承诺件", 15, 2, "否"]])
    assert ok.created_count == 1 and ServiceItem.objects.get(code="A-1").depth == "full_online"
    bad = preview(users["admin"], "approvals.items", [header, ["A-2", "施工许可", "行政许可", "不见面审批", "承诺件", 5, 10, "是"]])
    assert bad.errors == ["第2行「承诺办结时限」：承诺办结时限（10个工作日）不能长于法定办结时限（5个工作日）"]


def test_the_approval_bureau_imports_its_cases_and_a_reporter_may_not(client, users, approver, items):
    """The 行政审批局 loads the approval system's export itself (approvals.edit, the importer's own
    ability): the case list offers the import, the page and template open, and a file applies."""
    client.force_login(approver)
    assert 'href="/imports/approvals.cases/"' in client.get("/approvals/cases/").content.decode()
    assert client.get("/imports/approvals.cases/").status_code == 200
    assert client.get("/imports/approvals.cases/template.xlsx").status_code == 200
    assert run(approver, "approvals.cases", ROWS).status == ImportBatch.Status.APPLIED
    client.force_login(users["invest"])
    assert 'href="/imports/approvals.cases/"' not in client.get("/approvals/cases/").content.decode()
    assert client.get("/imports/approvals.cases/").status_code == 403
