"""走帮服 visits and their requests from a spreadsheet: bad rows named by row and column (unknown
code, unknown category, a request half filled, a 受理日期 before the visit), nothing written; a clean
file in one transaction with due dates on the work calendar; re-import unchanged; revert; who may."""

import pytest

from yuanqu.core.errors import PermissionDeniedError
from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.visits.models import EnterpriseRequest, Visit
from yuanqu.visits.services import due_date

from ..core.spreadsheets import xlsx
from ..factories import code_for
from ..org.import_helpers import assert_errors

HEADER = ["统一社会信用代码", "企业名称", "走访日期", "走访领导/干部", "走访单位", "走访发现", "诉求类别", "诉求内容",
          "承办单位", "受理日期"]


def preview(user, rows):
    return import_preview(actor=user, importer_key="visits.visits", file_name="走访.xlsx", data=xlsx([HEADER, *rows]))


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(zone, firms, categories, clock):
    a, b = firms
    batch = preview(zone["economy"], [
        [code_for(99), "", "2026-09-01", "张三", "经发局", "", "", "", "", ""],
        [a.credit_code, "", "2026-09-01", "张三", "经发局", "", "贷款", "缺资金", "招商局", ""],
        [a.credit_code, "", "2026-09-02", "张三", "经发局", "", "用工", "", "招商局", ""],
        [b.credit_code, "", "2026-09-03", "李四", "经发局", "", "用工", "缺技工", "招商局", "2026-08-30"],
        [b.credit_code, "", "2026-12-03", "李四", "经发局", "", "", "", "", ""],
    ])
    errors = batch.errors
    assert_errors(errors,
                  f"第2行「统一社会信用代码」：“{code_for(99)}”不在企业名录中…",
                  "第3行「诉求类别」：未找到…",
                  "第4行「诉求内容」：填写诉求时须同时填写诉求类别、诉求内容和承办单位，缺少诉求内容",
                  "第5行「受理日期」：受理日期（2026-08-30）早于走访日期（2026-09-03），日期先后有误",
                  "第6行「走访日期」：走访日期（2026-12-03）不能晚于今天")
    with pytest.raises(Exception, match="错误"):
        import_apply(actor=zone["economy"], batch=batch)
    assert not Visit.objects.exists() and not EnterpriseRequest.objects.exists()


def test_a_file_of_visits_imports_with_its_requests_and_reverts(zone, firms, units, categories, clock):
    a, b = firms
    rows = [[a.credit_code, a.name, "2026-09-01", "张三", "经发局", "缺熟练工", "用工", "招聘焊工20名", "招商局", ""],
            [b.credit_code, "", "2026-09-02", "李四", "经发局", "运行正常", "", "", "", ""]]
    batch = import_apply(actor=zone["economy"], batch=preview(zone["economy"], rows))
    assert batch.status == ImportBatch.Status.APPLIED and batch.created_count == 2
    request = EnterpriseRequest.objects.get()
    assert (request.enterprise, request.visit.visitors, request.assigned_unit) == (a, "张三", units["invest"])
    assert request.received_on.isoformat() == "2026-09-01" and request.state == "submitted"
    assert request.due_on == due_date(request.received_on, categories["用工"].time_limit_days)
    assert ChangeRecord.objects.filter(batch=batch.uuid).count() == 3  # two visits and a request

    again = preview(zone["economy"], rows)
    assert again.errors == [] and again.preview["unchanged"] == [2, 3]
    changed = [*rows[0][:8], "农业农村局", ""]
    assert preview(zone["economy"], [changed]).errors == [
        "第2行「诉求内容」：该次走访已导入诉求；诉求的修改和新增请在诉求页面办理"]

    findings = import_apply(actor=zone["economy"], batch=preview(zone["economy"], [[*rows[1][:5], "扩产用地不足"]]))
    assert findings.updated_count == 1 and Visit.objects.get(enterprise=b).findings == "扩产用地不足"
    import_revert(actor=zone["economy"], batch=findings)
    assert Visit.objects.get(enterprise=b).findings == "运行正常"
    import_revert(actor=zone["economy"], batch=batch)
    assert not Visit.objects.exists() and not EnterpriseRequest.objects.exists()
    assert ChangeRecord.objects.filter(action="delete").count() == 3


@pytest.mark.parametrize("role", ["admin", "economy", "visitor", "supervisor", "invest"])
def test_who_may_import_visits(client, zone, firms, role, clock):
    may = role in {"admin", "economy"}
    client.force_login(zone[role])
    assert client.get("/imports/visits.visits/").status_code == (200 if may else 403)
    assert client.get("/imports/visits.visits/template.xlsx").status_code == (200 if may else 403)
    row = [firms[0].credit_code, "", "2026-09-01", "张三", "经发局", "", "", "", "", ""]
    if may:
        assert preview(zone[role], [row]).errors == []
    else:
        with pytest.raises(PermissionDeniedError):
            preview(zone[role], [row])


def test_a_request_raised_on_the_page_after_the_import_keeps_the_visit(zone, firms, units, categories, clock):
    """Revert takes back what the file wrote, never what someone raised on the visit since."""
    from yuanqu.core.errors import ApplicationError
    from yuanqu.visits import services

    a, _ = firms
    rows = [[a.credit_code, a.name, "2026-09-01", "张三", "经发局", "缺熟练工", "", "", "", ""]]
    batch = import_apply(actor=zone["economy"], batch=preview(zone["economy"], rows))
    visit = Visit.objects.get()
    services.request_create(actor=None, data={"visit": visit.pk, "category": categories["用工"].pk,
                                              "text": "招聘焊工", "assigned_unit": units["invest"].pk})
    with pytest.raises(ApplicationError, match="走访之后又登记了诉求"):
        services.visit_withdraw(actor=zone["economy"], visit=visit)
    assert Visit.objects.count() == 1 and EnterpriseRequest.objects.count() == 1
    assert not ChangeRecord.objects.filter(action="delete").exists()
    assert batch.status == ImportBatch.Status.APPLIED
