"""Materialised paths for every tree register (units, chain nodes): a subtree is one indexed
`LIKE 'prefix%'` query. `parent` stays the source of truth; `save_with_path` keeps `path`."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models, transaction
from django.db.models.functions import Concat, Substr

from .errors import ApplicationError


def path_segment(pk: int) -> str:
    # Padding keeps paths sorting like the tree; the dot keeps `1.` from matching `12.` beyond 6 digits.
    return f"{pk:06d}."


def ancestor_ids(path: str) -> list[int]:
    """The ids on a path, root first, the node itself last."""
    return [int(part) for part in path.split(".") if part]


def save_with_path(obj: models.Model, save: Callable[[], None], *, loop_message: str) -> None:
    """Save `obj` (through `save`, the model's own super().save), then set its path; when it
    moved, rewrite its descendants' paths in one UPDATE.

    The old path is read again under a row lock: an instance loaded before someone else moved the
    node (or its parent) holds a stale path, and trusting it would leave the descendants under the
    wrong prefix. A move under its own subtree is refused with `loop_message`."""
    manager = type(obj)._default_manager
    with transaction.atomic():
        old = ""
        if obj.pk is not None:
            old = manager.select_for_update().filter(pk=obj.pk).values_list("path", flat=True).first() or ""
            obj.path = old  # the row's own path is written back as it is, not the stale copy
        parent_path = ""
        if obj.parent_id is not None:
            parent_path = manager.filter(pk=obj.parent_id).values_list("path", flat=True).first() or ""
            if old and parent_path.startswith(old):
                raise ApplicationError(loop_message, field="parent")
        save()
        path = parent_path + path_segment(obj.pk)
        obj.path = path
        if path == old:
            return
        manager.filter(pk=obj.pk).update(path=path)
        if old:
            manager.filter(path__startswith=old).exclude(pk=obj.pk).update(
                path=Concat(models.Value(path), Substr("path", len(old) + 1))
            )
