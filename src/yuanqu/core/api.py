"""One error shape for the API: {"message": "...", "field": ..., "extra": {...}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError, ConflictError, PermissionDeniedError


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
