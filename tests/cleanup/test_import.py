"""Clean-up cases from a spreadsheet: the template, bad rows named by row and column with nothing
written, a non-candidate refusing the whole file, a decided case changing only its disposal
details, revert, and who may import."""

import pytest

from yuanqu.cleanup.models import Case
from yuanqu.core.errors import PermissionDeniedError
from yuanqu.core.imports.registry import get_importer
from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.imports.template import template_bytes
from yuanqu.core.models import ChangeRecord, ImportBatch

from ..core.spreadsheets import sheets, xlsx
from ..factories import code_for
from ..org.import_helpers import assert_errors
from .conftest import YEAR

HEADER = ["统一社会信用代码", "企业名称", "清理类别", "评估年度", "处理结果", "认定或排除理由", "处置方式", "责任单位"]


def preview(user, rows):
    return import_preview(actor=user, importer_key="cleanup.cases", file_name="清理案件.xlsx", data=xlsx([HEADER, *rows]))


def test_the_template_names_the_columns_and_the_choices(db):
    book = sheets(template_bytes(get_importer("cleanup.cases")))
    assert book["企业清理案件"][0][: len(HEADER)] == HEADER


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(zone, firms, clock):
    z, p = firms["Z"], firms["P"]
    batch = preview(zone["economy"], [
        [code_for(99), "", "僵尸企业", YEAR, "认定", "亏损", "", ""],
        [z.credit_code, "别的企业", "僵尸企业", YEAR, "认定", "亏损", "", ""],
        [p.credit_code, "", "散乱", YEAR, "认定", "排放", "", ""],
        [p.credit_code, "", "散乱污企业", YEAR, "认定", "", "停业", "没有这个局"],
        [p.credit_code, "", "散乱污企业", 1800, "认定", "排放", "", "经发局"],
    ])
    errors = batch.errors
    assert_errors(errors,
                  f"第2行「统一社会信用代码」：“{code_for(99)}”不在企业名录中…",
                  "第3行「企业名称」：“别的企业”与企业名录中该代码的企业“Z 企业”不一致…",
                  "第4行「清理类别」：“散乱”不是可选值…",
                  "第5行「认定或排除理由」：必填，不能为空",
                  "第5行「处置方式」：“停业”不是可选值…",
                  "第5行「责任单位」：未找到单位“没有这个局”",
                  "第6行「评估年度」：“1800”不是有效年度")
    with pytest.raises(Exception, match="错误"):
        import_apply(actor=zone["economy"], batch=batch)
    assert not Case.objects.exists()


def test_a_file_of_decisions_imports_in_one_transaction_and_reverts(zone, firms, units, clock):
    z, p, ok = firms["Z"], firms["P"], firms["OK"]
    rows = [[z.credit_code, "Z 企业", "僵尸企业", YEAR, "认定", "连续两年亏损", "破产清算", "经发局"],
            [p.credit_code, "", "散乱污企业", YEAR, "排除", "已完成环评整改", "", ""]]
    # OK meets no criterion: the preview says so (the decision would refuse it and the whole file).
    failed = preview(zone["economy"], [*rows, [ok.credit_code, "", "僵尸企业", YEAR, "认定", "亏损", "", ""]])
    assert failed.errors == [f"第4行「统一社会信用代码」：{ok.name}{YEAR}年不符合任何僵尸企业认定标准，不在候选名单中"]
    assert not Case.objects.exists()

    batch = import_apply(actor=zone["environment"], batch=preview(zone["environment"], rows))
    assert batch.status == ImportBatch.Status.APPLIED and batch.created_count == 2
    zombie = Case.objects.get(enterprise=z)
    assert (zombie.state, zombie.method, zombie.unit, zombie.reason) == ("confirmed", "bankruptcy", units["economy"],
                                                                         "连续两年亏损")
    assert Case.objects.get(enterprise=p).state == "dismissed"
    assert ChangeRecord.objects.filter(batch=batch.uuid, content_type__model="case").count() >= 2

    again = preview(zone["economy"], rows)
    assert again.errors == [] and again.preview["unchanged"] == [2, 3]
    changed = rows[0][:6] + ["兼并重组", "经发局"]
    flipped = rows[1][:4] + ["认定", "已完成环评整改", "", ""]
    refused = preview(zone["economy"], [changed, flipped])
    assert refused.errors == ["第3行「处理结果」：该案件已排除，不能通过导入改为认定"]
    update = import_apply(actor=zone["economy"], batch=preview(zone["economy"], [changed]))
    assert update.updated_count == 1 and Case.objects.get(enterprise=z).method == "merge"

    import_revert(actor=zone["economy"], batch=update)
    assert Case.objects.get(enterprise=z).method == "bankruptcy"
    import_revert(actor=zone["economy"], batch=batch)
    assert not Case.objects.exists()
    assert ChangeRecord.objects.filter(action="delete", content_type__model="case").count() == 2


@pytest.mark.parametrize("role", ["admin", "economy", "environment", "supervisor", "leader", "invest"])
def test_who_may_import_cases(client, zone, firms, role, clock):
    may = role in {"admin", "economy", "environment"}
    client.force_login(zone[role])
    assert client.get("/imports/cleanup.cases/").status_code == (200 if may else 403)
    assert client.get("/imports/cleanup.cases/template.xlsx").status_code == (200 if may else 403)
    row = [firms["Z"].credit_code, "", "僵尸企业", YEAR, "认定", "连续两年亏损", "", ""]
    if may:
        assert preview(zone[role], [row]).errors == []
    else:
        with pytest.raises(PermissionDeniedError):
            preview(zone[role], [row])
