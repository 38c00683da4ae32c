"""Change history: one function every service calls, one table for every register."""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import ChangeRecord, insert_many

# The batch every change recorded inside `change_batch()` belongs to (an import, a revert), so
# services need not pass it through.
_current_batch: ContextVar[uuid.UUID | None] = ContextVar("change_batch", default=None)


@contextmanager
def change_batch(batch: uuid.UUID) -> Iterator[uuid.UUID]:
    token = _current_batch.set(batch)
    try:
        yield batch
    finally:
        _current_batch.reset(token)


def current_batch() -> uuid.UUID | None:
    """The batch of the `change_batch()` block running now, for a service that writes its change
    records in bulk."""
    return _current_batch.get()


def snapshot(obj: models.Model, fields: Iterable[str] | None = None, *, with_m2m: bool = True) -> dict:
    """A JSON-safe picture of the object's concrete fields (FKs by id, M2M by sorted ids)."""
    data: dict = {}
    wanted = None if fields is None else set(fields)  # asked for every row an import writes
    for field in obj._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in {"id", "created_at", "updated_at", "version"}:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        data[field.name] = value
    if obj.pk and with_m2m:
        for field in obj._meta.many_to_many:
            if wanted is None or field.name in wanted:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record_change(**change) -> ChangeRecord | None:
    """Log one edit (the arguments of `new_change`). An update that changed nothing is not logged."""
    change = new_change(**change)
    if change is not None:
        change.save()
    return change


def record_changes(changes: Iterable[ChangeRecord | None]) -> int:
    """Save many change records (from `new_change`) at once, a service writing rows in bulk; their
    ids are not read back (core.models.insert_many). Returns how many."""
    return insert_many(c for c in changes if c is not None)


def new_change(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    batch: uuid.UUID | None = None,
) -> ChangeRecord | None:
    """The change record `record_change` would write, unsaved (None for an update that changed
    nothing), for a service that saves its records in bulk (`record_changes`)."""
    if action == ChangeRecord.Action.UPDATE and before is not None and before == after:
        return None
    return ChangeRecord(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        note=note,
        batch=batch or _current_batch.get(),
    )


def history_for(obj: models.Model):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
    ).select_related("actor")


def history_for_many(objects) -> "models.QuerySet[ChangeRecord]":
    """The history of several records (of any models) in one list, newest first."""
    by_type: dict[int, list[int]] = {}
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        by_type.setdefault(ct.pk, []).append(obj.pk)
    condition = models.Q(pk__in=[])
    for ct_id, ids in by_type.items():
        condition |= models.Q(content_type_id=ct_id, object_id__in=ids)
    return ChangeRecord.objects.filter(condition).select_related("actor", "content_type")


# ---------------------------------------------------------------- readable history

# Keys some services log that are not model fields.
_EXTRA_LABELS = {"roles": "角色", "deleted": "已删除", "review": "审核", "comment": "审核意见", "status": "状态", "state": "状态",
                 "alias_names": "别名", "unit_name": "单位名称"}
_BOOL = {True: "是", False: "否"}


def _field(model, key: str):
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _related_model(model, key: str):
    field = _field(model, key)
    return field.related_model if field is not None and field.is_relation else None


def _shown(model, key: str) -> bool:
    """Whether people read this key in a history: not a machine's ("_…", a revert's), not a
    bookkeeping field (not editable: demo flags, stamps), not one the model hides (text offsets)."""
    if key.startswith("_") or key in getattr(model, "HISTORY_HIDDEN", ()):
        return False
    field = _field(model, key)
    return field is None or getattr(field, "editable", True)


def _date(value) -> str:
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"


def describe_changes(records, model=None) -> list[dict]:
    """ChangeRecords made readable: field labels, choices by name, references by name, dates as
    people write them; internal fields hidden (see `_shown`; a model may list more in
    `HISTORY_HIDDEN` and word its own values in a `history_value(key, value)` static method).

    A reference (foreign key or many-to-many) is named through its model, with one query per
    kind of referenced record, whatever the number of records.
    """
    records = list(records)
    model_of = {id(r): model or r.content_type.model_class() for r in records}
    wanted: dict[type, set[int]] = {}
    for record in records:
        for key, before, after in record.changes():
            target = _related_model(model_of[id(record)], key)
            if target is None:
                continue
            for value in (before, after):
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(target, set()).update(i for i in ids if isinstance(i, int))
    names = {
        target: {obj.pk: str(obj) for obj in target._base_manager.filter(pk__in=ids)}
        for target, ids in wanted.items()
    }

    def show(key: str, value, of) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        custom = getattr(of, "history_value", None)
        if custom is not None and (text := custom(key, value)) is not None:
            return text
        target = _related_model(of, key)
        if target is not None:
            lookup = names.get(target, {})
            return "、".join(lookup.get(i, "（已不存在）") for i in (value if isinstance(value, list) else [value]))
        if isinstance(value, bool):
            return _BOOL[value]
        if isinstance(value, list):  # names kept as a list (a unit's aliases)
            return "、".join(str(v) for v in value)
        field = _field(of, key)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return _date(value)
        if isinstance(value, dict):  # structured settings read as "名称：值", never as JSON
            return "；".join(f"{k}：{v}" for k, v in value.items())
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)

    def label(key: str, of) -> str:
        field = _field(of, key)
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
        # A model may name the non-field keys its services log (HISTORY_LABELS).
        return getattr(of, "HISTORY_LABELS", {}).get(key) or _EXTRA_LABELS.get(key, key)

    rows = []
    for record in records:
        of = model_of[id(record)]
        # Keys starting with "_" are kept for machines (a revert), not shown.
        changes = [{"label": label(k, of), "before": show(k, b, of), "after": show(k, a, of)}
                   for k, b, a in record.changes() if _shown(of, k)]
        changes = [c for c in changes if c["before"] != c["after"]]
        rows.append({"record": record, "changes": changes, "subject": of._meta.verbose_name if model is None else ""})
    return rows
