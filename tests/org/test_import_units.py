"""Importing units: creation with parents in the same file, updates, every error, revert."""

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.services import import_apply, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.org import services
from yuanqu.org.models import OrgUnit

from .import_helpers import UNIT_HEADER, history_count, preview, run

Status = ImportBatch.Status


def test_units_are_created_parents_first_even_when_listed_after_children(users, units):
    admin = users["admin"]
    batch = run(admin, "org.units", [
        UNIT_HEADER,
        ["产业科", "", "局/办/中心", "经发", 2, "是"],      # its parent comes two rows later, by short name
        ["园区公司", "园投", "国有公司", "管委会", 9, "否"],
        ["经济发展局", "经发", "局/办/中心", "管委会", "1", ""],
    ])
    assert batch.status == Status.APPLIED
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (3, 0, 0)
    dept = OrgUnit.objects.get(name="经济发展局")
    assert OrgUnit.objects.get(name="产业科").parent == dept
    company = OrgUnit.objects.get(name="园区公司")
    assert (company.kind, company.short_name, company.order, company.is_active) == ("company", "园投", 9, False)
    records = ChangeRecord.objects.filter(batch=batch.uuid)
    assert records.filter(action="create").count() == 3
    assert set(records.values_list("actor", flat=True)) == {admin.pk}


def test_the_same_file_twice_changes_nothing_the_second_time(users, units):
    rows = [UNIT_HEADER, ["经济发展局", "经发", "局/办/中心", "管委会", 1, "是"],
            ["招商局", "招商", "局/办/中心", "管委会", 2, "是"]]   # 招商局 exists: it gets a short name
    first = run(users["admin"], "org.units", rows)
    assert (first.created_count, first.updated_count) == (1, 1)
    versions = dict(OrgUnit.objects.values_list("name", "version"))
    count = history_count()
    second = run(users["admin"], "org.units", rows)
    assert second.status == Status.APPLIED
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert history_count() == count
    assert dict(OrgUnit.objects.values_list("name", "version")) == versions


def test_preview_names_every_update_with_before_and_after(users, units):
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["三和片区", "三和", "片区", "招商局", 5, "是"]])
    assert batch.preview["updates"] == [{"row": 2, "key": "三和片区", "changes": [
        ["简称", "（空）", "三和"], ["上级单位", "农业农村局", "招商局"], ["排序", "0", "5"]]}]
    assert batch.preview["creates"] == []
    assert OrgUnit.objects.get(name="三和片区").parent == units["agri"]  # a preview writes nothing


def test_blank_optional_cells_leave_stored_values_alone(users, units):
    services.orgunit_update(actor=None, unit=units["invest"], data={"short_name": "招商"})
    batch = run(users["admin"], "org.units", [UNIT_HEADER, ["招商局", "", "局/办/中心", "", "", ""]])
    assert batch.unchanged_count == 1
    units["invest"].refresh_from_db()
    assert (units["invest"].short_name, units["invest"].parent) == ("招商", units["committee"])


@pytest.mark.parametrize("row, error", [
    (["", "", "局/办/中心", "", "", ""], "第2行「单位名称」：必填，不能为空"),
    (["新单位", "", "委员会", "", "", ""], "第2行「类型」：“委员会”不是可选值（可选：管委会、局/办/中心、国有公司、片区、村、社区）"),
    (["新单位", "", "", "", "", ""], "第2行「类型」：必填，不能为空"),
    (["新单位", "", "村", "不存在局", "", ""], "第2行「上级单位」：未找到单位“不存在局”"),
    (["新单位", "", "村", "", "第一", ""], "第2行「排序」：“第一”不是整数"),
    (["新单位", "", "村", "", "", "也许"], "第2行「启用」：“也许”应填“是”或“否”"),
    (["新单位", "简" * 31, "村", "", "", ""], "第2行「简称」：不能超过30个字"),
    (["农业农村局", "", "局/办/中心", "三南村", "", ""], "第2行「上级单位」：上级单位不能是该单位本身或其下级单位（会形成循环）"),
    (["招商局", "", "局/办/中心", "招商局", "", ""], "第2行「上级单位」：上级单位不能是该单位本身或其下级单位（会形成循环）"),
])
def test_each_error_names_row_and_column_and_nothing_is_written(users, units, row, error):
    count, names = history_count(), set(OrgUnit.objects.values_list("name", "parent_id"))
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["管委会", "", "管委会", "", "", ""], row])
    assert any(e.startswith(error.replace("第2行", "第3行")) for e in batch.errors), batch.errors
    with pytest.raises(ApplicationError, match="处错误"):
        import_apply(actor=users["admin"], batch=batch)
    assert history_count() == count
    assert set(OrgUnit.objects.values_list("name", "parent_id")) == names


def test_a_cycle_made_within_the_file_is_named_on_each_row(users, units):
    batch = preview(users["admin"], "org.units", [
        UNIT_HEADER, ["甲", "", "村", "乙", "", ""], ["乙", "", "村", "甲", "", ""]])
    assert batch.errors == ["第2行「上级单位」：上级单位不能是该单位本身或其下级单位（会形成循环）",
                            "第3行「上级单位」：上级单位不能是该单位本身或其下级单位（会形成循环）"]


def test_duplicates_in_the_file_name_both_rows(users, units):
    batch = preview(users["admin"], "org.units", [
        UNIT_HEADER, ["新局", "", "村", "", "", ""], ["别局", "", "村", "", "", ""], ["新局", "", "村", "", "", ""]])
    assert batch.errors == ["第2行「单位名称」：“新局”与第4行重复", "第4行「单位名称」：“新局”与第2行重复"]


def test_missing_required_headers_and_extra_columns(users, units):
    batch = preview(users["admin"], "org.units", [["名称", "备注"], ["新局", "x"]])
    assert batch.errors == ["缺少必填列「单位名称」", "缺少必填列「类型」"]
    batch = preview(users["admin"], "org.units", [["单位名称", "类型", "备注"], ["新局", "村", "x"]])
    assert batch.errors == [] and batch.preview["ignored_columns"] == ["备注"]


def test_an_ambiguous_short_name_asks_for_the_full_name(users, units):
    services.orgunit_update(actor=None, unit=units["invest"], data={"short_name": "局"})
    services.orgunit_update(actor=None, unit=units["agri"], data={"short_name": "局"})
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["新局", "", "村", "局", "", ""]])
    assert batch.errors == ["第2行「上级单位」：“局”对应多个单位（招商局、农业农村局），请填写全称"]


def test_revert_deletes_new_units_deactivates_referenced_ones_and_restores_updates(users, units):
    admin = users["admin"]
    batch = run(admin, "org.units", [
        UNIT_HEADER, ["新局", "", "局/办/中心", "管委会", "", ""], ["用过的局", "", "局/办/中心", "", "", ""],
        ["招商局", "招商", "局/办/中心", "农业农村局", 7, ""]])
    used = OrgUnit.objects.get(name="用过的局")
    services.user_create(actor=admin, username="member", password=None, role="reporter", unit=used)
    reverted = import_revert(actor=admin, batch=batch)
    assert reverted.status == Status.REVERTED and reverted.reverted_by == admin
    assert not OrgUnit.objects.filter(name="新局").exists()
    used.refresh_from_db()
    assert used.is_active is False
    units["invest"].refresh_from_db()
    assert (units["invest"].short_name, units["invest"].parent, units["invest"].order) == ("", units["committee"], 0)
    with pytest.raises(ApplicationError, match="已撤销"):
        import_revert(actor=admin, batch=reverted)


def test_revert_is_refused_after_a_later_edit(users, units):
    admin = users["admin"]
    batch = run(admin, "org.units", [UNIT_HEADER, ["招商局", "招商", "局/办/中心", "", "", ""]])
    services.orgunit_update(actor=admin, unit=units["invest"], data={"order": 3})
    with pytest.raises(ApplicationError, match="“招商局”又被修改过，不能撤销"):
        import_revert(actor=admin, batch=batch)
    units["invest"].refresh_from_db()
    assert (units["invest"].short_name, units["invest"].order) == ("招商", 3)
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.APPLIED


def test_a_rule_only_the_service_knows_fails_the_whole_batch_with_its_row(users, units, monkeypatch):
    from yuanqu.org.imports import UnitImporter

    original = UnitImporter.create

    def create(self, *, actor, values):
        if values["name"] == "坏局":
            raise ApplicationError("不允许", field="kind")
        return original(self, actor=actor, values=values)

    monkeypatch.setattr(UnitImporter, "create", create)
    count = OrgUnit.objects.count()
    batch = preview(users["admin"], "org.units", [UNIT_HEADER, ["好局", "", "村", "", "", ""], ["坏局", "", "村", "", "", ""]])
    batch = import_apply(actor=users["admin"], batch=batch)
    assert batch.status == Status.FAILED
    assert batch.errors == ["第3行「类型」：不允许"]
    assert OrgUnit.objects.count() == count and not ChangeRecord.objects.filter(batch=batch.uuid).exists()


def test_only_administrators_import(users, units):
    with pytest.raises(ApplicationError, match="只有系统管理员"):
        preview(users["supervisor"], "org.units", [UNIT_HEADER, ["新局", "", "村", "", "", ""]])


def test_revert_keeps_a_unit_a_target_names_as_assisting_unit(users, units, plan):
    admin = users["admin"]
    batch = run(admin, "org.units", [UNIT_HEADER, ["协办局", "", "局/办/中心", "", "", ""]])
    target = plan.targets.first()
    target.cooperating_units.add(OrgUnit.objects.get(name="协办局"))
    import_revert(actor=admin, batch=batch)
    assert OrgUnit.objects.get(name="协办局").is_active is False
    assert target.cooperating_units.filter(name="协办局").exists()
