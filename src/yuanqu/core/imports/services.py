"""Preview, apply and revert an import. Only administrators import.

Applying runs the register's own services (rights, validation, history) in one transaction,
inside `change_batch(batch.uuid)` so every change record carries the batch. Reverting undoes
them in reverse order under a batch of its own, refusing if a record changed afterwards.
"""

from __future__ import annotations

import gc
import threading
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import change_batch
from yuanqu.core.models import ChangeRecord, ImportBatch

from .base import CREATE, UNCHANGED, UPDATE, Importer, Plan, RowPlan, apply_order, row_error
from .columns import NewRef
from .reading import Table, read_table
from .registry import get_importer

Status = ImportBatch.Status
# Imports create and change the zone's records wholesale: the administrators' ability.
IMPORT_ABILITY = "org.manage_users"


def may_import(actor, importer: Importer | None = None) -> bool:
    """Administrators import into every register; the holders of an importer's own ability into it."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.can(IMPORT_ABILITY) or bool(importer is not None and importer.ability and actor.can(importer.ability))


def require_importer(actor, importer: Importer | None = None) -> None:
    if not may_import(actor, importer):
        raise PermissionDeniedError("只有系统管理员或该类数据的管理部门可以导入数据。" if importer and importer.ability
                                    else "只有系统管理员可以导入数据。")


_collector_lock = threading.Lock()
_collector_paused = 0  # imports running now with the collector paused (threads of one process)
_collector_was_enabled = True


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while an import reads, checks and writes its rows.

    An import builds tens of thousands of objects that all live until it ends (cells, row plans,
    records, their events and change records); each full collection walks all of them, and the
    collector ran one after every few thousand: a quarter of a 10,000-row import's CPU time. Reference
    counting still frees everything else at once; what is only freed by the collector (cycles) waits
    for the end, bounded by the import's MAX_ROWS. Nested and concurrent imports (threads) share
    one pause: the collector is switched back on, if it was on, when the last one ends."""
    global _collector_paused, _collector_was_enabled
    with _collector_lock:
        if _collector_paused == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_paused += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_paused -= 1
            if _collector_paused == 0 and _collector_was_enabled:
                gc.enable()


def _table(batch: ImportBatch) -> Table:
    return Table(header=batch.table["header"], rows=[(n, cells) for n, cells in batch.table["rows"]],
                 header_row=batch.table.get("header_row", 1))


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


@collector_paused()
def import_preview(*, actor, importer_key: str, file_name: str, data: bytes) -> ImportBatch:
    """Read and check the file; keep its cells and what applying would do. Writes no register."""
    importer = get_importer(importer_key)
    require_importer(actor, importer)
    table = read_table(file_name, data)
    plan = importer.plan(table)
    batch = ImportBatch(importer=importer.key, file_name=file_name[:255], created_by=actor,
                        total_rows=len(table.rows), progress=0,
                        table={"header": table.header, "header_row": table.header_row,
                               "rows": [[n, cells] for n, cells in table.rows]})
    _store_plan(batch, importer, plan)
    batch.save()
    return batch


def import_apply(*, actor, batch: ImportBatch) -> ImportBatch:
    """Apply a clean preview: small files at once, larger ones by the background worker."""
    require_importer(actor, get_importer(batch.importer))
    with transaction.atomic():
        # The cells and the preview (large JSON) are not needed to queue the batch.
        batch = ImportBatch.objects.select_for_update().defer("table", "preview").get(pk=batch.pk)
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


@collector_paused()
def run_import(batch_id: int, actor_id: int) -> None:
    """Check the stored rows again (the registers may have changed since the preview), then write
    them all in one transaction; on any error nothing is written and the batch lists why. Whatever
    goes wrong, the batch ends FAILED, never stuck as running."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in {Status.QUEUED, Status.RUNNING}:
        return
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING, progress=0)
    try:
        actor = get_user_model().objects.get(pk=actor_id)
        importer = get_importer(batch.importer)

        def progress(done: int) -> None:
            ImportBatch.objects.filter(pk=batch.pk).update(progress=done)

        shown = batch.preview
        plan = importer.plan(_table(batch), progress=progress)
        _store_plan(batch, importer, plan)
        if plan.errors:
            _finish(batch, Status.FAILED)
            return
        if _effect(batch.preview) != _effect(shown):
            # Someone changed the registers since the preview: applying now would write changes
            # the administrator never saw. The new preview is kept; they upload again to confirm.
            batch.errors = ["预览之后系统中的数据已有变化，本次导入会写入预览中没有列出的修改，因此没有导入。"
                            "请重新上传文件，核对新的预览后再确认导入。"]
            batch.error_count = 1
            _finish(batch, Status.FAILED)
            return
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


def _effect(preview: dict) -> tuple:
    """What applying writes, as the preview lists it (rows created, each update's changes)."""
    return (
        [c["row"] for c in preview.get("creates", [])],
        [(u["row"], u["changes"]) for u in preview.get("updates", [])],
    )


_RESULT_FIELDS = ["status", "finished_at", "progress", "errors", "error_count", "preview", "created_count",
                  "updated_count", "unchanged_count"]


def _finish(batch: ImportBatch, status: str) -> None:
    batch.status = status
    batch.finished_at = timezone.now()
    batch.progress = batch.total_rows
    # Only the result: the worker's task id, written by another transaction, must survive.
    batch.save(update_fields=_RESULT_FIELDS)


def _write(importer: Importer, actor, plan: Plan) -> None:
    """Write the rows in dependency order: new records in batches through `create_many` (a batch
    ends where a row needs a record the batch itself creates), changes one by one."""
    created: dict[str, object] = {}
    pending: list[RowPlan] = []
    pending_keys: set[str] = set()

    def resolve(value):
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return created[value.key] if isinstance(value, NewRef) else value

    def needs_pending(row: RowPlan) -> bool:
        refs = [v for value in row.values.values() for v in (value if isinstance(value, list) else [value])]
        return any(isinstance(ref, NewRef) and ref.key in pending_keys for ref in refs)

    def flush() -> None:
        if not pending:
            return
        try:
            objs = importer.create_many(actor=actor, rows=[{k: resolve(v) for k, v in row.values.items()}
                                                           for row in pending])
        except ApplicationError as exc:
            raise _at_row(importer, pending[exc.extra.get("index", 0)], exc) from exc
        created.update({row.key: obj for row, obj in zip(pending, objs, strict=True)})
        pending.clear()
        pending_keys.clear()

    for row in apply_order([r for r in plan.rows if r.action != UNCHANGED]):
        if row.action == CREATE:
            if needs_pending(row):
                flush()
            pending.append(row)
            pending_keys.add(row.key)
            continue
        flush()
        try:
            importer.update(actor=actor, obj=row.obj, values={k: resolve(row.values[k]) for k in row.changed})
        except ApplicationError as exc:
            raise _at_row(importer, row, exc) from exc
    flush()


def _at_row(importer: Importer, row: RowPlan, exc: ApplicationError) -> ApplicationError:
    header = next((c.header for c in importer.columns if c.field == exc.field),
                  importer.column(importer.natural_key).header)
    return ApplicationError(row_error(row.row, header, exc.message))


def import_revert(*, actor, batch: ImportBatch) -> ImportBatch:
    """Undo an applied batch: creations removed (or deactivated where referenced), updates put
    back. Small batches at once, larger ones by the background worker with progress."""
    require_importer(actor, get_importer(batch.importer))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != Status.APPLIED:
            raise ApplicationError(f"该批次{batch.get_status_display()}，不能撤销。")
        records = _revert_records(batch)
        _check_nothing_later(batch, records)
        batch.status = Status.REVERTING
        batch.progress = 0
        batch.save(update_fields=["status", "progress"])
    if len(records) <= settings.YUANQU_IMPORT_INLINE_ROWS:
        run_revert(batch.pk, actor.pk)
    else:
        from .tasks import run_revert_task

        result = run_revert_task.enqueue(batch.pk, actor.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def _revert_records(batch: ImportBatch) -> list[ChangeRecord]:
    importer = get_importer(batch.importer)
    content_type = ContentType.objects.get_for_model(importer.model, for_concrete_model=True)
    return list(ChangeRecord.objects.filter(batch=batch.uuid, content_type=content_type).order_by("-id"))


def _check_nothing_later(batch: ImportBatch, records: list[ChangeRecord]) -> None:
    """Refuse when a record of the batch changed afterwards (a revert would overwrite it); a later
    batch that was itself reverted put things back, so neither it nor its revert counts."""
    if not records:
        return
    undone = [
        u for pair in ImportBatch.objects.filter(status=Status.REVERTED, revert_uuid__isnull=False)
        .values_list("uuid", "revert_uuid") for u in pair
    ]
    later = (ChangeRecord.objects.filter(content_type_id=records[0].content_type_id,
                                         object_id__in={r.object_id for r in records}, pk__gt=records[0].pk)
             .exclude(batch=batch.uuid).exclude(batch__in=undone).order_by("pk"))
    names = list(dict.fromkeys(later.values_list("object_repr", flat=True)[:6]))
    if names:
        raise ApplicationError(
            f"本批导入之后，{'、'.join(f'“{n}”' for n in names[:5])}{'等' if len(names) > 5 else ''}"
            "又被修改过，不能撤销（否则会覆盖之后的修改）。")


@collector_paused()
def run_revert(batch_id: int, actor_id: int) -> None:
    """Undo the batch's changes in reverse order, all in one transaction: on any error nothing is
    undone and the batch stays applied, with the reason listed."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != Status.REVERTING:
        return
    try:
        actor = get_user_model().objects.get(pk=actor_id)
        importer = get_importer(batch.importer)
        revert_uuid = uuid.uuid4()
        with transaction.atomic():
            records = _revert_records(batch)
            _check_nothing_later(batch, records)  # again: the worker may run later
            objects = importer.model._default_manager.in_bulk({r.object_id for r in records})
            with change_batch(revert_uuid):
                created: list = []  # consecutive creations, undone together (in order) by undo_creates
                for record in records:
                    obj = objects.get(record.object_id)
                    if obj is not None and record.action == ChangeRecord.Action.CREATE:
                        created.append(obj)
                    elif obj is not None and record.action == ChangeRecord.Action.UPDATE:
                        if created:
                            importer.undo_creates(actor=actor, objs=created)
                            created = []
                        before = record.before or {}
                        importer.restore(actor=actor, obj=obj,
                                         before={f: before.get(f) for f, _, _ in record.changes()})
                if created:
                    importer.undo_creates(actor=actor, objs=created)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=Status.REVERTED, reverted_by=actor, reverted_at=timezone.now(), revert_uuid=revert_uuid,
                progress=len(records), errors=[], error_count=0)
    except Exception as exc:
        message = exc.message if isinstance(exc, ApplicationError) else f"撤销时发生内部错误：{exc}"
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.APPLIED, errors=[f"撤销失败，未作任何改动：{message}"],
                                                       error_count=0)
        if not isinstance(exc, ApplicationError):
            raise

