"""Importing mediation cases and petitions from the 信访 system's export: each row registered and
walked through the steps its dates show, with the page's clocks; every bad row named 第N行「列名」
in Chinese and nothing written; a second import of the same file changes nothing; texts corrected
by a later file; revert deletes what a batch created, keeping the history."""

import pytest

from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.disputes.models import CaseEvent, DisputeCase

from ..org.import_helpers import assert_errors, preview, run
from .conftest import D

HEADER = ["来源编号", "类型", "事由", "当事人/信访人", "纠纷类型", "承办单位", "收到日期", "调解委员会", "不予受理日期",
          "不予受理理由", "受理日期", "延期批准日期", "延期批准人", "延期理由", "办理意见（调结）日期", "办理意见（调解情况）",
          "达成协议", "协议内容", "回访日期", "回访情况", "办结日期"]


def row(number, kind="信访", unit="招商局", received="2026-09-01", **cells):
    base = {"来源编号": number, "类型": kind, "事由": f"{number} 征地补偿", "当事人/信访人": "张某", "纠纷类型": "土地征收与拆迁",
            "承办单位": unit, "收到日期": received}
    base.update({HEADER[HEADER.index(k)]: v for k, v in cells.items()})
    return [base.get(h, "") for h in HEADER]


GOOD = [
    HEADER,
    row("XF-01", received="2026-07-01", 受理日期="2026-07-03", 延期批准日期="2026-08-20", 延期批准人="王主任",
        延期理由="涉及多个部门", **{"办理意见（调结）日期": "2026-09-10", "办理意见（调解情况）": "依法答复"}),
    row("XF-02"),
    row("TJ-01", kind="人民调解", unit="农业农村局", received="2026/8/1", 调解委员会="三和调委会", 受理日期="2026-08-02",
        达成协议="是", 协议内容="赔偿三千元", 回访日期="2026-08-30", 回访情况="已履行",
        **{"办理意见（调结）日期": "2026-08-20"}),
    row("XF-03", 不予受理日期="2026-09-02", 不予受理理由="属于诉讼途径解决的事项"),
]


@pytest.fixture
def imported(zone):
    return run(zone["admin"], "disputes.cases", GOOD)


def test_rows_are_registered_and_walked_through_their_dated_steps(zone, imported):
    assert (imported.status, imported.created_count) == (ImportBatch.Status.APPLIED, 4)
    got = {c.source_number: c for c in DisputeCase.objects.all()}
    xf1, xf2, tj1, xf3 = got["XF-01"], got["XF-02"], got["TJ-01"], got["XF-03"]
    assert (xf1.state, xf1.handling_due, xf1.extended_on, xf1.extended_due, xf1.extension_approver, xf1.decided_on) == (
        "answered", D(2026, 9, 1), D(2026, 8, 20), D(2026, 10, 1), "王主任", D(2026, 9, 10))
    assert [c.key for c in xf1.clocks(D(2026, 9, 15))] == ["acceptance", "handling", "extended"]
    assert (xf2.state, xf2.acceptance_due, xf2.assigned_unit.name) == ("registered", D(2026, 9, 16), "招商局")
    assert (tj1.state, tj1.agreement_reached, tj1.followup_on, tj1.closed_on, tj1.committee) == (
        "closed", True, D(2026, 8, 30), D(2026, 8, 30), "三和调委会")
    assert (xf3.state, xf3.decision) == ("declined", "属于诉讼途径解决的事项")
    assert list(CaseEvent.objects.filter(case=xf1).order_by("pk").values_list("action", flat=True)) == [
        "accept", "extend", "answer"]
    # Each write is in the batch's history.
    assert ChangeRecord.objects.filter(batch=imported.uuid).count() == 4 + 3 + 3 + 1


def test_the_same_file_again_changes_nothing(zone, imported):
    count = ChangeRecord.objects.count()
    again = run(zone["admin"], "disputes.cases", GOOD)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert ChangeRecord.objects.count() == count


def test_a_later_file_corrects_texts_but_not_the_steps_and_revert_puts_them_back(zone, imported):
    corrected = [r[:] for r in GOOD]
    corrected[2][HEADER.index("事由")] = "XF-02 反映征地补偿标准偏低"
    batch = run(zone["admin"], "disputes.cases", corrected)
    assert batch.updated_count == 1
    assert DisputeCase.objects.get(source_number="XF-02").title == "XF-02 反映征地补偿标准偏低"
    import_revert(actor=zone["admin"], batch=batch)
    assert DisputeCase.objects.get(source_number="XF-02").title == "XF-02 征地补偿"
    stepped = [r[:] for r in GOOD]
    stepped[2][HEADER.index("受理日期")] = "2026-09-03"
    number = DisputeCase.objects.get(source_number="XF-02").number
    errors = preview(zone["admin"], "disputes.cases", stepped).errors
    refusal = f"{number}已登记，类型、承办单位、收到日期和办理过程不能由导入修改，请在页面上办理（改派、办理）"
    assert errors == [f"第3行「受理日期」：{refusal}"]
    # Nor a change of unit: the preview would list it and the write would drop it (a 改派 is a step).
    moved = [r[:] for r in GOOD]
    moved[2][HEADER.index("承办单位")] = "三南村" if moved[2][HEADER.index("承办单位")] != "三南村" else "招商局"
    assert preview(zone["admin"], "disputes.cases", moved).errors == [f"第3行「承办单位」：{refusal}"]


def test_revert_deletes_the_created_cases_and_keeps_their_history(zone, imported):
    import_revert(actor=zone["admin"], batch=imported)
    assert not DisputeCase.objects.exists() and not CaseEvent.objects.exists()
    assert ChangeRecord.objects.filter(content_type__model="disputecase", action="delete").count() == 4


def test_every_bad_row_is_named_in_chinese_and_nothing_is_written(zone):
    rows = [
        HEADER,
        row("B-02", unit="不存在局"),
        row("B-03", kind="投诉"),
        row("B-04", received="2026-09-05", 受理日期="2026-09-01"),
        row("B-05", received="2026-07-01", 受理日期="2026-07-02", 延期批准日期="2026-08-01", 延期理由="复杂"),
        row("B-06", kind="人民调解", received="2026-08-01", 受理日期="2026-08-02", 达成协议="否",
            **{"办理意见（调结）日期": "2026-08-10"}, 办结日期="2026-08-12"),
        row("B-07", 受理日期="2026-09-02", 达成协议="是", **{"办理意见（调结）日期": "2026-09-05",
                                                          "办理意见（调解情况）": "答复"}),
        row("B-08", received="2026-09-20"),
        row("B-09", **{"办理意见（调结）日期": "2026-09-05", "办理意见（调解情况）": "答复"}),
        row("B-10", kind="人民调解", 受理日期="2026-09-02", 达成协议="是", **{"办理意见（调结）日期": "2026-09-05"}),
        row("B-11", received="2026-05-01", 受理日期="2026-05-02", 延期批准日期="2026-07-10", 延期批准人="王主任",
            延期理由="复杂"),
        row("B-02"),
    ]
    batch = preview(zone["admin"], "disputes.cases", rows)
    errors = batch.errors
    assert any(e.startswith("第2行「承办单位」：未找到") and "不存在局" in e for e in errors), errors
    assert_errors(errors,
                  "第3行「类型」：“投诉”不是可选值…",
                  "第4行「受理日期」：受理告知日期（2026-09-01）不能早于收到日期（2026-09-05）",
                  "第5行「延期批准人」：延期须经批准：请填写批准人",
                  "第6行「办结日期」：人民调解件没有“办结”这一环节",
                  "第7行「达成协议」：信访件不填写“达成协议”",
                  "第8行「收到日期」：收到日期（2026-09-20）不能晚于今天",
                  "第9行「办理意见（调结）日期」：当前状态为“待受理”，不能出具办理意见",
                  "第10行「协议内容」：达成调解协议时请填写协议内容",
                  "第11行「延期批准日期」：办理期限（2026-07-01）已过，不能再批准延期",
                  "第12行「来源编号」：“B-02”与第2行重复…")
    assert len(errors) == 12, errors
    assert not DisputeCase.objects.exists() and not ChangeRecord.objects.filter(
        content_type__model="disputecase").exists()


def test_the_office_and_administrators_import(client, zone, users):
    for who in ("admin", "office"):  # disputes.manage, the importer's own ability
        client.force_login(zone[who])
        page = client.get("/imports/disputes.cases/")
        assert page.status_code == 200 and "调解信访件" in page.content.decode()
        template = client.get("/imports/disputes.cases/template.xlsx")
        assert template.status_code == 200
    client.force_login(users["village"])
    assert client.get("/imports/disputes.cases/").status_code == 403
