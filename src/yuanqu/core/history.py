"""Change history: one function every service calls, one table for every register."""

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ChangeRecord


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """A JSON-safe picture of the object's concrete fields (FKs by id, M2M by sorted ids)."""
    data: dict = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"id", "created_at", "updated_at", "version"}:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        data[field.name] = value
    if obj.pk:
        for field in obj._meta.many_to_many:
            if fields is None or field.name in fields:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record_change(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    batch: uuid.UUID | None = None,
) -> ChangeRecord | None:
    """Log one edit. An update that changed nothing is not logged."""
    if action == ChangeRecord.Action.UPDATE and before is not None and before == after:
        return None
    return ChangeRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        note=note,
        batch=batch,
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
