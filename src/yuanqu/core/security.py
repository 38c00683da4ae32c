"""What every page and API endpoint gets for being on a network: login throttling (django-axes,
configured in settings), request bodies refused by their declared size before anyone reads them,
and the refusals of both in the platform's language — a Chinese page, or the API's error shape."""

from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions, status

log = logging.getLogger(__name__)


def is_api(request) -> bool:
    """The API lives under /api/ (core.routing): its refusals are JSON in the one error shape."""
    return request.path_info.startswith("/api/")


def error_json(message: str, code: int, *, extra: dict | None = None, headers: dict | None = None) -> JsonResponse:
    """core.api's error shape, for refusals made before DRF sees the request."""
    response = JsonResponse({"message": message, "field": None, "extra": extra or {}}, status=code,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# ---------------------------------------------------------------- login throttling


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request (the login page, the admin's, the
    API's Basic auth). A login without one — the test client, a shell — comes from no network
    and is not throttled (axes would refuse it outright)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _minutes(request) -> int:
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request, credentials: dict | None = None) -> str:
    username = get_client_username(request, credentials) or ""
    who = f"账号“{username}”" if username else "该账号"
    minutes = _minutes(request)
    wait = f"请 {minutes} 分钟后再试" if minutes else "请联系系统管理员解锁"
    return (f"登录失败次数过多（连续 {settings.AXES_FAILURE_LIMIT} 次密码错误），{who}已暂时锁定，{wait}；"
            "如非本人操作或急需使用，请联系系统管理员解锁。")


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """settings.AXES_LOCKOUT_CALLABLE: the lock-out as a Chinese page, or as JSON for the API (429)."""
    message = lockout_message(request, credentials)
    seconds = _minutes(request) * 60
    if is_api(request):
        return error_json(message, status.HTTP_429_TOO_MANY_REQUESTS, extra={"retry_after": seconds},
                          headers={"Retry-After": str(seconds)} if seconds else None)
    response = render(request, "core/locked_out.html", {"message": message}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, detail: str, wait: int):
        super().__init__(detail)
        self.wait = wait  # DRF's handler turns it into Retry-After


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's Basic auth under the login throttling. DRF hands axes its own Request, so axes' middleware
    never sees the lock-out mark; a locked account is refused here, in the API's error shape (429)."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                credentials = {settings.AXES_USERNAME_FORM_FIELD: userid}
                raise LockedOut(lockout_message(request, credentials), _minutes(request) * 60) from None
            raise


class ThrottledBasicScheme(BasicScheme):
    """The OpenAPI schema names our Basic auth as plain HTTP Basic."""

    target_class = "yuanqu.core.security.BasicAuthentication"


# ---------------------------------------------------------------- request size


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".") + " MB"


class RequestSizeLimitMiddleware:
    """Refuse a body by its Content-Length, before anything reads it (CSRF, forms, DRF, kept forms):
    a multipart upload over YUANQU_MAX_REQUEST_BYTES, any other body over DATA_UPLOAD_MAX_MEMORY_SIZE,
    anything over YUANQU_MAX_ANONYMOUS_BYTES from someone not signed in. A body sent without a
    Content-Length is never read by Django at all (it takes the length as 0)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size:
            limit, why = self.limit(request)
            if size > limit:
                return self.refuse(request, size, limit, why)
        return self.get_response(request)

    @staticmethod
    def limit(request) -> tuple[int, str]:
        upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.YUANQU_MAX_REQUEST_BYTES if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Only the session is looked at (the user is loaded lazily from it). An API call with
        # credentials is held to the signed-in limits: DRF checks them before it reads the body.
        signed_in = request.user.is_authenticated or (is_api(request) and "HTTP_AUTHORIZATION" in request.META)
        if not signed_in and settings.YUANQU_MAX_ANONYMOUS_BYTES < limit:
            return settings.YUANQU_MAX_ANONYMOUS_BYTES, "未登录时"
        return limit, "上传文件时" if upload else ""

    @staticmethod
    def refuse(request, size: int, limit: int, why: str):
        log.warning("request body refused: %s bytes > %s on %s %s", size, limit, request.method, request.path)
        message = (f"提交的内容过大（{_megabytes(size)}），{why}一次最多 {_megabytes(limit)}。"
                   + ("如登录已超时，请重新登录后再提交。" if why == "未登录时" else
                      "请减少或压缩附件后分次提交。"))
        if is_api(request):
            return error_json(message, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                              extra={"size": size, "limit": limit})
        response = render(request, "core/too_large.html", {"message": message}, status=413)
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
        return response
