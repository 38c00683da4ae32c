"""Pieces every app's services share: model validation and the optimistic-lock check."""

from django.core.exceptions import ValidationError

from .errors import ApplicationError, ConflictError


def validate(obj, **full_clean_kwargs) -> None:
    """full_clean, with Django's first message turned into one ApplicationError naming the field."""
    try:
        obj.full_clean(**full_clean_kwargs)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
        text = "；".join(messages)
        raise ApplicationError(
            f"{label}：{text}" if label else text, field=None if field == "__all__" else field
        ) from exc


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
