"""The API's chassis: one error shape ({"message", "field", "extra"}), input validation that names
fields by their Chinese label, versions through the body or If-Match, and the schema pieces every
app's endpoints share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError, ConflictError, PermissionDeniedError
from .parsing import DIGIT_CODES, MONTH_RE, too_many_digits


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, PermissionDeniedError):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, ConflictError):
            code = status.HTTP_409_CONFLICT
        return Response({"message": exc.message, "field": exc.field, "extra": exc.extra}, status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权查看。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "message" not in response.data:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        if detail is not None:
            response.data = {"message": str(detail), "field": None, "extra": {}}
        else:
            field, errors = next(iter(response.data.items()))
            text = errors[0] if isinstance(errors, list) and errors else errors
            response.data = {"message": f"{field}：{text}", "field": field, "extra": response.data}
    return response


def _first_error(errors):
    """The first ErrorDetail of DRF's nested errors (None when there is none)."""
    while isinstance(errors, list | dict):
        if not errors:
            return None
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return errors


def validated(serializer: serializers.Serializer) -> dict:
    """Validate input; a failure becomes one Chinese message naming the field by its label.

    DRF would name the field by its key ("value"); people read the label ("完成值").
    All errors stay in `extra["errors"]` for clients that show them per field.
    """
    if serializer.is_valid():
        return dict(serializer.validated_data)
    errors = serializer.errors
    name = next(iter(errors))
    first = _first_error(errors[name])
    text = "" if first is None else str(first)
    field = serializer.fields.get(name)
    if field is None:
        raise ApplicationError(text, extra={"errors": errors})
    if isinstance(field, serializers.DecimalField) and getattr(first, "code", None) in DIGIT_CODES:
        raw = serializer.initial_data.get(name) if hasattr(serializer.initial_data, "get") else None
        message = too_many_digits(str(field.label), raw, max_digits=field.max_digits,
                                  decimal_places=field.decimal_places)
        raise ApplicationError(message, field=name, extra={"errors": errors})
    raise ApplicationError(f"{field.label}：{text}", field=name, extra={"errors": errors})


def expected_version(request, body_version: int | None, *, required: bool) -> int | None:
    """The version the client edited: `version` in the body, else the If-Match header (ETag)."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApplicationError(
                "请提供所修改记录的版本号：在请求中填写 version，或通过 If-Match 头给出。", field="version"
            )
        return None
    raw = header.removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise ApplicationError(f"If-Match 头应为版本号（整数），收到“{header}”。", field="version")
    return int(raw)


def versioned_input(request, serializer: serializers.Serializer, *, required: bool) -> tuple[dict, int | None]:
    """An edit's validated body, and the version the client edited (its `version`, else If-Match)."""
    data = validated(serializer)
    return data, expected_version(request, data.pop("version", None), required=required)


def etag(version: int) -> str:
    return f'"{version}"'


def respond_one(view, pk: int, serializer_class, code: int = 200, *, versioned: bool = True):
    """One record as written, re-read through the view's scoped queryset; a versioned record
    carries its ETag so the client's next write can send If-Match."""
    from rest_framework.response import Response

    obj = view.get_queryset().get(pk=pk)
    data = serializer_class(obj, context=view.get_serializer_context()).data
    return Response(data, status=code, headers={"ETag": etag(obj.version)} if versioned else None)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A report month as "YYYY-MM" (stored as the first day of the month)."""

    default_error_messages = {"invalid": _("应为 YYYY-MM 格式的月份，如 2026-03。")}

    def to_internal_value(self, data):
        match = MONTH_RE.match(str(data).strip())
        if not match:
            self.fail("invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def to_representation(self, value):
        return value.strftime("%Y-%m")


class ErrorSerializer(serializers.Serializer):
    """The one error shape (core.api.exception_handler)."""

    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    extra = serializers.DictField()


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误（message 指明字段）"),
    403: OpenApiResponse(ErrorSerializer, description="无权操作"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在您的查看范围内"),
}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="记录已被他人修改，请刷新后重试")}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="所修改记录的版本号（GET 返回的 ETag）；也可在请求体中以 version 给出",
)
