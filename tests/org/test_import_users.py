"""Importing users: look-ups of units, roles by label, new accounts without a password, revert."""

import pytest
from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.services import import_apply, import_preview, import_revert
from yuanqu.core.models import ChangeRecord, ImportBatch
from yuanqu.org import services
from yuanqu.org.models import User

from ..core.spreadsheets import csv_bytes, xls
from .import_helpers import USER_HEADER, history_count, preview, run

Status = ImportBatch.Status
ROWS = [
    USER_HEADER,
    ["zhangsan", "张三", "招商局", "单位填报员", 13800000000, "zs@example.com", "是"],
    ["lisi", "李四", "管委会", "领导", "", "", ""],
    ["invest1", "招商员", "农业农村局", "单位填报员", "0571-8888", "", "否"],  # existing: moves unit, disabled
]


def test_users_are_created_and_updated_through_the_services(users, units):
    batch = run(users["admin"], "org.users", ROWS)
    assert (batch.created_count, batch.updated_count) == (2, 1)
    zs = User.objects.get(username="zhangsan")
    assert (zs.full_name, zs.unit, zs.role_codes(), zs.phone, zs.email, zs.is_active) == (
        "张三", units["invest"], {"reporter"}, "13800000000", "zs@example.com", True)
    assert zs.units_for("supervision.handle_item").ids() >= {units["invest"].pk}
    assert not zs.has_usable_password()  # the administrator sets the first password
    invest = User.objects.get(username="invest1")
    assert (invest.unit, invest.phone, invest.is_active, invest.full_name) == (units["agri"], "0571-8888", False, "招商员")
    record = ChangeRecord.objects.get(batch=batch.uuid, object_id=invest.pk, action="update")
    # The reporter's role moves with the home unit.
    assert {f for f, _, _ in record.changes()} == {"unit", "phone", "is_active", "full_name", "roles", "_grants"}
    assert record.after["roles"] == ["单位填报员（农业农村局）"]
    assert "password" not in record.after


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_and_the_second_import_changes_nothing(users, units, encoding):
    data = csv_bytes(ROWS, encoding)
    first = import_apply(actor=users["admin"], batch=import_preview(
        actor=users["admin"], importer_key="org.users", file_name="用户.csv", data=data))
    assert first.status == Status.APPLIED and first.created_count == 2
    count = history_count()
    second = import_apply(actor=users["admin"], batch=import_preview(
        actor=users["admin"], importer_key="org.users", file_name="用户.csv", data=data))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert history_count() == count


def test_xls_imports_too(users, units):
    batch = import_preview(actor=users["admin"], importer_key="org.users", file_name="用户.xls",
                           data=xls([[str(c) for c in r] for r in ROWS]))
    assert batch.errors == [] and batch.created_count == 2


@pytest.mark.parametrize("row, error", [
    (["", "无名", "招商局", "领导", "", "", ""], "第2行「登录名」：必填，不能为空"),
    (["a b", "空格", "招商局", "领导", "", "", ""], "第2行「登录名」：“a b”只能包含"),
    (["wangwu", "王五", "火星局", "领导", "", "", ""], "第2行「单位」：未找到单位“火星局”"),
    (["wangwu", "王五", "招商局", "管理员", "", "", ""], "第2行「角色」：“管理员”不是可选值"),
    (["wangwu", "王五", "", "单位填报员", "", "", ""], "第2行「单位」：“单位填报员”须填写单位"),
    (["wangwu", "王五", "招商局", "领导", "1.38E+10", "", ""], "第2行「电话」：“1.38E+10”是科学计数法"),
    (["wangwu", "王五", "招商局", "领导", "", "not-an-email", ""], "第2行「邮箱」：“not-an-email”不是有效的邮箱地址"),
    (["wangwu", "王五", "招商局", "", "", "", ""], "第2行「角色」：必填，不能为空"),
])
def test_each_user_error_names_row_and_column_and_nothing_is_written(users, units, row, error):
    count, people = history_count(), User.objects.count()
    batch = preview(users["admin"], "org.users", [USER_HEADER, row])
    assert len(batch.errors) == 1 and batch.errors[0].startswith(error), batch.errors
    with pytest.raises(ApplicationError):
        import_apply(actor=users["admin"], batch=batch)
    assert (history_count(), User.objects.count()) == (count, people)


def test_a_duplicate_login_names_both_rows(users, units):
    batch = preview(users["admin"], "org.users", [
        USER_HEADER, ["wangwu", "王五", "招商局", "领导", "", "", ""], ["wangwu", "王五二", "招商局", "领导", "", "", ""]])
    assert batch.errors == ["第2行「登录名」：“wangwu”与第3行重复", "第3行「登录名」：“wangwu”与第2行重复"]


def test_an_existing_user_may_leave_the_role_blank(users, units):
    batch = preview(users["admin"], "org.users", [USER_HEADER, ["invest1", "新名字", "", "", "", "", ""]])
    assert batch.errors == [] and batch.updated_count == 1


def test_revert_removes_unused_accounts_disables_used_ones_and_restores_changed_ones(users, units):
    admin = users["admin"]
    batch = run(admin, "org.users", ROWS)
    User.objects.filter(username="lisi").update(last_login=timezone.now())  # lisi has signed in since
    import_revert(actor=admin, batch=batch)
    assert not User.objects.filter(username="zhangsan").exists()
    assert User.objects.get(username="lisi").is_active is False  # keeps their history
    invest = User.objects.get(username="invest1")
    assert (invest.unit, invest.phone, invest.is_active, invest.full_name) == (units["invest"], "", True, "invest1")
    assert list(invest.role_assignments.values_list("role", "unit")) == [("reporter", units["invest"].pk)]
    # Importing the same file again brings the accounts back, able to sign in once given a password.
    again = run(admin, "org.users", ROWS)
    assert again.status == ImportBatch.Status.APPLIED
    assert User.objects.get(username="zhangsan").is_active is True


def test_revert_is_refused_after_a_later_edit_of_an_imported_account(users, units):
    admin = users["admin"]
    batch = run(admin, "org.users", ROWS)
    services.user_update(actor=admin, user=User.objects.get(username="lisi"), data={"phone": "110"})
    with pytest.raises(ApplicationError, match="“李四”又被修改过"):
        import_revert(actor=admin, batch=batch)
    assert User.objects.get(username="zhangsan").is_active is True


def test_user_update_refuses_to_disable_oneself_and_a_reporter_without_unit(users, units):
    admin = users["admin"]
    with pytest.raises(ApplicationError, match="不能停用自己的账号"):
        services.user_update(actor=admin, user=admin, data={"is_active": False})
    with pytest.raises(ApplicationError, match="“单位填报员”须指定单位"):
        services.user_update(actor=admin, user=users["invest"], data={"unit": None})
    with pytest.raises(ApplicationError, match="只有系统管理员"):
        services.user_update(actor=users["supervisor"], user=users["invest"], data={"phone": "1"})
    promoted = services.user_update(actor=admin, user=users["leader"], data={"role": "admin"})
    assert promoted.is_staff is True
