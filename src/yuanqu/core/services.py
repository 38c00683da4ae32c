"""Pieces every app's services share: model validation, the optimistic-lock check and the one update."""

from collections.abc import Callable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from .errors import ApplicationError, ConflictError
from .history import record_change, snapshot
from .models import ChangeRecord
from .parsing import DIGIT_CODES, too_many_digits


def validate(obj, **full_clean_kwargs) -> None:
    """full_clean, with Django's first message turned into one ApplicationError naming the field.

    A number too long for its column gets the platform's own wording (parsing.too_many_digits),
    not Django's "确保总位数不超过 18 个数字"."""
    try:
        obj.full_clean(**full_clean_kwargs)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
        codes = {e.code for e in exc.error_dict.get(field, [])} if hasattr(exc, "error_dict") else set()
        if field != "__all__" and codes & DIGIT_CODES:
            model_field = obj._meta.get_field(field)
            raise ApplicationError(
                too_many_digits(str(label), getattr(obj, field, None), max_digits=model_field.max_digits,
                                decimal_places=model_field.decimal_places),
                field=field,
            ) from exc
        text = "；".join(messages)
        raise ApplicationError(
            f"{label}：{text}" if label else text, field=None if field == "__all__" else field
        ) from exc


def whole_number_in(raw, low: int, high: int) -> int | None:
    """`raw` as a whole number from `low` to `high`, typed as just that ("4", not "4.0" or "四");
    None otherwise, for the caller to refuse in its own words."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    if str(raw).strip() != str(number) or not low <= number <= high:
        return None
    return number


def one_by_one(items, build: Callable) -> list:
    """`build(item)` for each item, for a service working on many records at once: a refusal is
    raised with the item's place in `extra["index"]`, so an import names the row."""
    out = []
    for index, item in enumerate(items):
        try:
            out.append(build(item))
        except ApplicationError as exc:
            exc.extra["index"] = index
            raise
    return out


def check_version(obj, expected_version, *, name: str | None = None, verb: str = "修改") -> None:
    """Refuse a write based on an older `version` of the record than the one stored."""
    if expected_version in (None, ""):
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ApplicationError(f"版本号“{expected_version}”无效，请刷新页面后重新操作。", field="version") from None
    if expected == obj.version:
        return
    raise ConflictError(
        f"“{name or obj}”已被他人{verb}（当前为第{obj.version}版，您提交的是第{expected_version}版），"
        "请刷新页面后重新操作。"
    )


def update_record(
    *,
    actor,
    obj,
    fields: Sequence[str],
    apply: Callable[[], dict[str, list] | None],
    expected_version=None,
    note: str | Callable[[list[str]], str] = "",
) -> list[str]:
    """The one way a register updates a record, so every update behaves alike.

    Checks the version the user saw, lets `apply()` set the new values on `obj` (parsing and the
    register's own rules live there; it may return many-to-many values as {field: [records]}),
    and then — only if one of `fields` really changed — validates, bumps the version, saves the
    changed columns, sets the many-to-many values and records one ChangeRecord naming just the
    changed fields (`note` may be a function of the changed names). Returns the names of the changed fields ([] when nothing changed: no write,
    no version bump, no history). Call it inside the service's transaction, on a locked row.
    """
    check_version(obj, expected_version)
    before = snapshot(obj, fields)
    m2m = apply() or {}
    after = snapshot(obj, [f for f in fields if f not in m2m], with_m2m=False)
    for name, values in m2m.items():
        after[name] = sorted(v.pk if hasattr(v, "pk") else v for v in values)
    changed = [f for f in fields if f in after and before.get(f) != after.get(f)]
    if not changed:
        return []
    validate(obj)
    obj.version += 1
    columns = [f for f in changed if f not in m2m]
    extra = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=[*columns, "version", *extra])
    for name in changed:
        if name in m2m:
            getattr(obj, name).set(m2m[name])
    record_change(
        actor=actor, obj=obj, action=ChangeRecord.Action.UPDATE,
        before={f: before.get(f) for f in changed}, after={f: after[f] for f in changed},
        note=note(changed) if callable(note) else note,
    )
    return changed


def create_record(*, actor, obj, fields: Sequence[str] | None = None, m2m: dict | None = None,
                  note: str = ""):
    """The one way a register creates a record, once its service has set the values and checked
    its own rules: validated, saved, its many-to-many values (`m2m`, {field: [records]}) set, and
    one ChangeRecord "created" with `fields` (default the model's WRITABLE_FIELDS). Returns `obj`."""
    validate(obj)
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    record_change(actor=actor, obj=obj, action=ChangeRecord.Action.CREATE, note=note,
                  after=snapshot(obj, type(obj).WRITABLE_FIELDS if fields is None else fields))
    return obj


def delete_record(*, actor, obj, fields: Sequence[str] | None = None) -> None:
    """Delete a record, its history keeping what it was: one ChangeRecord "deleted" with `fields`
    (default the model's WRITABLE_FIELDS) as they stood. Call it after the service's rights check."""
    record_change(actor=actor, obj=obj, action=ChangeRecord.Action.DELETE,
                  before=snapshot(obj, type(obj).WRITABLE_FIELDS if fields is None else fields))
    obj.delete()


def soft_delete(*, actor, obj) -> None:
    """Mark a record deleted (`deleted_at`) rather than delete it: the row and its history stay,
    the lists no longer show it. A version bump and one ChangeRecord "deleted"."""
    obj.deleted_at = timezone.now()
    obj.version += 1
    obj.save(update_fields=["deleted_at", "version", "updated_at"])
    record_change(actor=actor, obj=obj, action=ChangeRecord.Action.DELETE, before={"deleted": False},
                  after={"deleted": True})


def save_record(*, actor, obj, model, apply: Callable[[object], object], expected_version=None):
    """Create a record (`obj` None or unsaved) or edit it, for the small tables a register keeps as
    data (categories, criteria, checklists): `apply(record)` sets the values either way; a new one is
    validated, saved and recorded as created with its WRITABLE_FIELDS, an existing one is locked
    and goes through update_record. Call it inside the service's transaction, after its rights check."""
    if obj is None or obj.pk is None:
        obj = model()
        apply(obj)
        return create_record(actor=actor, obj=obj, fields=model.WRITABLE_FIELDS)
    obj = model.objects.select_for_update().get(pk=obj.pk)
    update_record(actor=actor, obj=obj, fields=model.WRITABLE_FIELDS, apply=lambda: apply(obj),
                  expected_version=expected_version)
    return obj


def forget_history(model, ids) -> None:
    """Delete the history (ChangeRecords) of `model`'s records `ids`: a demo's clearing takes its
    records with their history, where a real record keeps it (delete_record, soft_delete)."""
    ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).delete()
