"""Preview, apply and revert an import. Only administrators import.

Applying runs the register's own services (rights, validation, history) in one transaction,
inside `change_batch(batch.uuid)` so every change record carries the batch. Reverting undoes
them in reverse order under a batch of its own, refusing if a record changed afterwards.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import change_batch
from yuanqu.core.models import ChangeRecord, ImportBatch

from .base import CREATE, UNCHANGED, UPDATE, Importer, Plan, apply_order, row_error
from .columns import NewRef
from .reading import Table, read_table
from .registry import get_importer

Status = ImportBatch.Status
# Imports create and change the zone's records wholesale: the administrators' ability.
IMPORT_ABILITY = "org.manage_users"


def require_importer(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.can(IMPORT_ABILITY):
        raise PermissionDeniedError("只有系统管理员可以导入数据。")


def _table(batch: ImportBatch) -> Table:
    return Table(header=batch.table["header"], rows=[(n, cells) for n, cells in batch.table["rows"]])


def _preview_data(importer: Importer, plan: Plan) -> dict:
    """What the preview page lists, as JSON (the page renders it without touching the registers)."""
    creates, updates = [], []
    for row in plan.rows:
        if row.errors:
            continue
        if row.action == CREATE:
            creates.append({"row": row.row, "key": row.key, "fields": [
                c.display(row.values[c.field]) if c.field in row.values else "" for c in plan.present]})
        elif row.action == UPDATE:
            changes = []
            for name in row.changed:
                column = importer.column(name)
                changes.append([column.header, column.display(column.current(row.obj)),
                                column.display(row.values[name])])
            updates.append({"row": row.row, "key": row.key, "changes": changes})
    return {
        "creates": creates, "updates": updates,
        "unchanged": [r.row for r in plan.rows if r.action == UNCHANGED and not r.errors],
        "ignored_columns": plan.ignored_columns,
        "columns": [c.header for c in plan.present],
    }


def _store_plan(batch: ImportBatch, importer: Importer, plan: Plan) -> None:
    batch.errors = plan.errors
    batch.error_count = len(plan.errors)
    batch.preview = _preview_data(importer, plan)
    ok = [r for r in plan.rows if not r.errors]
    batch.created_count = sum(1 for r in ok if r.action == CREATE)
    batch.updated_count = sum(1 for r in ok if r.action == UPDATE)
    batch.unchanged_count = sum(1 for r in ok if r.action == UNCHANGED)


def import_preview(*, actor, importer_key: str, file_name: str, data: bytes) -> ImportBatch:
    """Read and check the file; keep its cells and what applying would do. Writes no register."""
    require_importer(actor)
    importer = get_importer(importer_key)
    table = read_table(file_name, data)
    plan = importer.plan(table)
    batch = ImportBatch(importer=importer.key, file_name=file_name[:255], created_by=actor,
                        total_rows=len(table.rows), progress=0,
                        table={"header": table.header, "rows": [[n, cells] for n, cells in table.rows]})
    _store_plan(batch, importer, plan)
    batch.save()
    return batch


def import_apply(*, actor, batch: ImportBatch) -> ImportBatch:
    """Apply a clean preview: small files at once, larger ones by the background worker."""
    require_importer(actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != Status.PREVIEWED:
            raise ApplicationError(f"该批次{batch.get_status_display()}，不能再次导入。")
        if batch.error_count:
            raise ApplicationError(f"文件中有{batch.error_count}处错误，请修改后重新上传。")
        batch.status = Status.QUEUED
        batch.save(update_fields=["status"])
    if batch.total_rows <= settings.YUANQU_IMPORT_INLINE_ROWS:
        run_import(batch.pk, actor.pk)
    else:
        from .tasks import run_import_task

        def enqueue():
            result = run_import_task.enqueue(batch.pk, actor.pk)
            ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])

        transaction.on_commit(enqueue)
    batch.refresh_from_db()
    return batch


def run_import(batch_id: int, actor_id: int) -> None:
    """Check the stored rows again (the registers may have changed since the preview), then write
    them all in one transaction; on any error nothing is written and the batch lists why."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in {Status.QUEUED, Status.RUNNING}:
        return
    actor = get_user_model().objects.get(pk=actor_id)
    importer = get_importer(batch.importer)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING, progress=0)

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(progress=done)

    plan = importer.plan(_table(batch), progress=progress)
    _store_plan(batch, importer, plan)
    if plan.errors:
        _finish(batch, Status.FAILED)
        return
    try:
        with transaction.atomic(), change_batch(batch.uuid):
            _write(importer, actor, plan)
    except Exception as exc:
        batch.errors = [exc.message if isinstance(exc, ApplicationError) else f"导入时发生内部错误：{exc}"]
        batch.error_count = 1
        _finish(batch, Status.FAILED)
        if not isinstance(exc, ApplicationError):
            raise  # the worker logs it with its traceback
        return
    _finish(batch, Status.APPLIED)


def _finish(batch: ImportBatch, status: str) -> None:
    batch.status = status
    batch.finished_at = timezone.now()
    batch.progress = batch.total_rows
    batch.save()


def _write(importer: Importer, actor, plan: Plan) -> None:
    created: dict[str, object] = {}

    def resolve(value):
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return created[value.key] if isinstance(value, NewRef) else value

    for row in apply_order([r for r in plan.rows if r.action != UNCHANGED]):
        try:
            if row.action == CREATE:
                values = {k: resolve(v) for k, v in row.values.items()}
                created[row.key] = importer.create(actor=actor, values=values)
            else:
                importer.update(actor=actor, obj=row.obj, values={k: resolve(row.values[k]) for k in row.changed})
        except ApplicationError as exc:
            header = next((c.header for c in importer.columns if c.field == exc.field),
                          importer.column(importer.natural_key).header)
            raise ApplicationError(row_error(row.row, header, exc.message)) from exc


def import_revert(*, actor, batch: ImportBatch) -> ImportBatch:
    """Undo an applied batch: creations removed (or deactivated where referenced), updates put back."""
    require_importer(actor)
    importer = get_importer(batch.importer)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != Status.APPLIED:
            raise ApplicationError(f"该批次{batch.get_status_display()}，不能撤销。")
        content_type = ContentType.objects.get_for_model(importer.model, for_concrete_model=True)
        records = list(ChangeRecord.objects.filter(batch=batch.uuid, content_type=content_type).order_by("-id"))
        if records:
            last = records[0].pk
            later = (ChangeRecord.objects.filter(content_type=content_type,
                                                 object_id__in={r.object_id for r in records}, pk__gt=last)
                     .exclude(batch=batch.uuid).order_by("pk"))
            names = list(dict.fromkeys(later.values_list("object_repr", flat=True)[:6]))
            if names:
                raise ApplicationError(
                    f"本批导入之后，{'、'.join(f'“{n}”' for n in names[:5])}{'等' if len(names) > 5 else ''}"
                    "又被修改过，不能撤销（否则会覆盖之后的修改）。")
        objects = importer.model._default_manager.in_bulk({r.object_id for r in records})
        with change_batch(uuid.uuid4()):
            for record in records:
                obj = objects.get(record.object_id)
                if obj is None:
                    continue
                if record.action == ChangeRecord.Action.CREATE:
                    importer.undo_create(actor=actor, obj=obj)
                elif record.action == ChangeRecord.Action.UPDATE:
                    before = record.before or {}
                    importer.restore(actor=actor, obj=obj, before={f: before.get(f) for f, _, _ in record.changes()})
        batch.status = Status.REVERTED
        batch.reverted_by = actor
        batch.reverted_at = timezone.now()
        batch.save(update_fields=["status", "reverted_by", "reverted_at"])
    return batch
