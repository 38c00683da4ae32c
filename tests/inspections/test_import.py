"""Importing inspections with their hazards, one row per hazard grouped by 检查编号: the inspection
recorded once, each hazard found and — with a 整改期限 — notified on its day; every bad row named
第N行「列名」 in Chinese and nothing written; the same file again changes nothing; revert deletes
what the batch created, keeping the history."""

import pytest

from yuanqu.core.imports.services import import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.inspections import services
from yuanqu.inspections.models import Hazard, HazardEvent, Inspection

from ..org.import_helpers import assert_errors, preview, run
from .conftest import D

HEADER = ["隐患编号", "检查编号", "检查类别", "被检查企业", "检查地点", "所在村（社区）", "检查日期", "检查单位", "检查人员",
          "检查情况", "隐患描述", "隐患等级", "责任单位", "责任人", "整改期限", "整改要求", "通知日期"]


def row(number, inspection="JC-01", **cells):
    base = {"隐患编号": number, "检查编号": inspection, "检查类别": "安全生产", "被检查企业": "检查企业一",
            "检查日期": "2026-09-01", "检查单位": "安监与环保", "检查人员": "郑刚、李明", "隐患描述": f"{number} 消防通道堵塞",
            "隐患等级": "一般", "责任单位": "招商局"}
    base.update(cells)
    return [base.get(h, "") for h in HEADER]


GOOD = [
    HEADER,
    row("H-1", 整改期限="2026-09-30", 整改要求="清理通道", 通知日期="2026-09-02"),
    row("H-2", 隐患等级="重大", 责任单位="农业农村局", 责任人="王五"),
    row("H-3", inspection="JC-02", 检查类别="城乡环境", 被检查企业="", 检查地点="通沙河岸", **{"所在村（社区）": "三南村"},
        检查日期="2026/9/5", 隐患描述="河岸垃圾", 整改期限="2026-09-20"),
]


@pytest.fixture
def imported(zone, firm):
    return run(zone["admin"], "inspections.hazards", GOOD)


def test_hazards_are_grouped_into_inspections_and_notified_on_their_day(zone, imported):
    assert (imported.status, imported.created_count) == (ImportBatch.Status.APPLIED, 3)
    jc1, jc2 = Inspection.objects.get(source_number="JC-01"), Inspection.objects.get(source_number="JC-02")
    assert list(jc1.hazards.order_by("source_number").values_list("source_number", flat=True)) == ["H-1", "H-2"]
    assert (jc1.domain, jc1.enterprise.name, jc1.inspecting_unit.short_name, jc1.inspected_on) == (
        "safety", "检查企业一", "安监与环保", D(2026, 9, 1))
    assert (jc2.place, jc2.inspected_on) == ("通沙河岸（三南村）", D(2026, 9, 5))
    h1, h2, h3 = (Hazard.objects.get(source_number=n) for n in ("H-1", "H-2", "H-3"))
    assert (h1.state, h1.notice_on, h1.deadline, h1.requirement) == ("rectifying", D(2026, 9, 2), D(2026, 9, 30), "清理通道")
    assert (h2.state, h2.level, h2.responsible_unit.name, h2.responsible_person) == ("found", "major", "农业农村局", "王五")
    assert (h3.state, h3.notice_on) == ("rectifying", D(2026, 9, 5))
    assert HazardEvent.objects.filter(action="notify").count() == 2


def test_the_same_file_again_changes_nothing_and_a_correction_updates_the_hazard(zone, imported):
    count = ChangeRecord.objects.count()
    again = run(zone["admin"], "inspections.hazards", GOOD)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert ChangeRecord.objects.count() == count
    corrected = [r[:] for r in GOOD]
    corrected[2][HEADER.index("隐患等级")] = "一般"
    batch = run(zone["admin"], "inspections.hazards", corrected)
    assert batch.updated_count == 1 and Hazard.objects.get(source_number="H-2").level == "general"
    import_revert(actor=zone["admin"], batch=batch)
    assert Hazard.objects.get(source_number="H-2").level == "major"


def test_revert_deletes_the_hazards_and_their_imported_inspections_with_history(zone, imported):
    import_revert(actor=zone["admin"], batch=imported)
    assert not Hazard.objects.exists() and not Inspection.objects.exists()
    deleted = ChangeRecord.objects.filter(action="delete")
    assert deleted.filter(content_type__model="hazard").count() == 3
    assert deleted.filter(content_type__model="inspection").count() == 2


def test_every_bad_row_is_named_in_chinese_and_nothing_is_written(zone, firm, imported):
    before = (Hazard.objects.count(), Inspection.objects.count(), ChangeRecord.objects.count())
    rows = [
        HEADER,
        row("B-2", inspection="JC-9", 被检查企业="不存在公司"),
        row("B-3", inspection="JC-9", 隐患等级="严重"),
        row("B-4", inspection="JC-8", 整改期限="2026-08-20"),
        row("B-5", inspection="JC-7", 责任单位="不存在局"),
        row("B-6", inspection="JC-6", 检查类别="消防"),
        row("B-7", inspection="JC-5", 整改期限="2026-09-30", 通知日期="2026-08-30"),
        row("B-8", inspection="JC-4", 检查日期="2026-09-01"),
        row("B-9", inspection="JC-4", 检查日期="2026-09-03"),
        row("B-10", inspection="JC-01", 检查人员="另一组"),
        row("B-11", inspection="JC-3", 被检查企业="", 检查地点=""),
        row("H-1", inspection="JC-01", 整改期限="2026-10-30", 整改要求="清理通道", 通知日期="2026-09-02"),
    ]
    errors = preview(zone["admin"], "inspections.hazards", rows).errors
    assert_errors(errors,
                  "第2行「被检查企业」：未找到…",
                  "第3行「隐患等级」：“严重”不是可选值…",
                  "第4行「整改期限」：整改期限（2026-08-20）不能早于检查日期（2026-09-01）",
                  "第5行「责任单位」：未找到…",
                  "第6行「检查类别」：“消防”不是可选值…",
                  "第7行「通知日期」：通知日期（2026-08-30）不能早于检查日期（2026-09-01）",
                  "第9行「检查日期」：与第8行（同一检查编号“JC-4”）不一致",
                  "第10行「检查人员」：检查“JC-01”已登记，其「检查人员」不同；检查记录请在页面上修改",
                  "第11行「检查地点」：请选择被检查企业或填写检查地点",
                  "第12行「整改期限」：该隐患已登记，整改过程请在页面上办理")
    assert len(errors) == 10, errors
    assert (Hazard.objects.count(), Inspection.objects.count(), ChangeRecord.objects.count()) == before


def test_only_administrators_import(client, zone):
    client.force_login(zone["inspector"])
    assert client.get("/imports/inspections.hazards/").status_code == 403
    client.force_login(zone["admin"])
    assert client.get("/imports/inspections.hazards/").status_code == 200
    assert client.get("/imports/inspections.hazards/template.xlsx").status_code == 200


def test_an_imported_inspection_corrected_since_stays_when_its_hazards_are_reverted(zone, imported):
    inspection = Inspection.objects.order_by("pk").first()  # both came from the file
    services.inspection_update(actor=zone["admin"], inspection=inspection, data={"findings": "复核后补充的检查情况"})
    import_revert(actor=zone["admin"], batch=imported)
    assert not Hazard.objects.exists()
    assert list(Inspection.objects.values_list("pk", "findings")) == [(inspection.pk, "复核后补充的检查情况")]
