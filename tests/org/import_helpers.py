"""Shortcuts for the import tests (org's, and every app's since): preview and apply a table, and check
the errors a preview names."""

from yuanqu.core.imports.services import import_apply, import_preview
from yuanqu.core.models import ChangeRecord, ImportBatch

from ..core.spreadsheets import csv_bytes, xlsx

UNIT_HEADER = ["单位名称", "简称", "类型", "上级单位", "排序", "启用", "别名"]
USER_HEADER = ["登录名", "姓名", "单位", "角色", "电话", "邮箱", "启用"]


def preview(actor, key: str, rows: list[list], name: str = "导入.xlsx") -> ImportBatch:
    data = csv_bytes(rows) if name.endswith(".csv") else xlsx(rows)
    return import_preview(actor=actor, importer_key=key, file_name=name, data=data)


def run(actor, key: str, rows: list[list], name: str = "导入.xlsx") -> ImportBatch:
    batch = preview(actor, key, rows, name)
    assert batch.errors == []
    return import_apply(actor=actor, batch=batch)


def assert_errors(errors: list[str], *expected: str) -> None:
    """Each of `expected` is one of a preview's `errors`, whole; one ending in "…" is the start of one
    (the rest of it names what the file wrote, or the choices)."""
    def found(message: str) -> bool:
        if message.endswith("…"):
            return any(e.startswith(message[:-1]) for e in errors)
        return message in errors

    missing = [m for m in expected if not found(m)]
    assert not missing, f"missing {missing} among {errors}"


def history_count() -> int:
    return ChangeRecord.objects.count()
