"""Idempotency-Key for the API's POSTs: a client that lost the answer to a write retries it with
the same key and gets the first answer back, and nothing is written twice.

`begin` runs for every API view after authentication (core.api.Contract): it reserves the key for
the user (a row with no status yet) or answers from the row — the stored response, a 409 while the
first request still runs, a 422 when the key came with a different request. `IdempotencyMiddleware`
fills the row in with the response; a server error or a busy database frees the key so the retry
runs again. Keys are the user's own and live 24 hours."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response

from .errors import ApplicationError, ConflictError

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
LIFETIME = dt.timedelta(hours=24)
# Answer headers worth giving back on a replay (the version for the next If-Match, a new record's address).
KEPT_HEADERS = ("ETag", "Location", "Content-Type")


class Replay(Exception):  # noqa: N818 - not an error: the stored answer, raised out of the permission check
    """The stored first answer; core.api.exception_handler turns it back into the response."""

    def __init__(self, row):
        self.row = row

    def response(self) -> Response:
        headers = {k: v for k, v in self.row.headers.items() if k != "Content-Type"}
        response = Response(self.row.response, status=self.row.status, headers={**headers, "Idempotent-Replayed": "true"})
        return response


def _body_hash(request) -> str:
    """What the client sent: the raw body, or for an upload the fields and each file's content
    (a multipart boundary differs on every retry)."""
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path_info.encode() + b"\n")
    if request.content_type.startswith("multipart/"):
        for name, values in sorted(request.data.lists()) if hasattr(request.data, "lists") else ():
            for value in values:
                if hasattr(value, "chunks"):
                    digest.update(f"{name}={value.name}:".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{name}={value}\n".encode())
    else:
        digest.update(request._request.body)
    return digest.hexdigest()


def begin(request) -> None:
    """Reserve the request's key, or raise the answer a retry gets (module doc)."""
    from .models import IdempotentRequest

    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or hasattr(request._request, "idempotent_request"):
        return  # not a keyed POST, or reserved already (a view checking its permissions twice)
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable() or not key.isascii():
        raise ApplicationError(f"{HEADER} 应为 1 到 255 个可见的 ASCII 字符（建议使用 UUID）。", field=HEADER)
    body_hash = _body_hash(request)
    now = timezone.now()
    user = request.user
    IdempotentRequest.objects.filter(created_at__lt=now - LIFETIME).delete()
    try:
        with transaction.atomic():
            row = IdempotentRequest.objects.create(user=user, key=key, method=request.method,
                                                   path=request.path_info[:500], body_hash=body_hash, created_at=now)
    except IntegrityError:
        row = IdempotentRequest.objects.filter(user=user, key=key).first()
        if row is None:  # expired and removed by another request meanwhile: the client may retry
            raise ApplicationError(f"{HEADER} 正在被处理，请稍后重试。", field=HEADER) from None
        if row.body_hash != body_hash:
            raise KeyReused(row) from None
        if row.status is None:
            raise InProgress() from None
        log.info("idempotent replay of %s %s for %s (key %s)", row.method, row.path, user, key)
        raise Replay(row) from None
    request._request.idempotent_request = row


class KeyReused(ApplicationError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY

    def __init__(self, row):
        super().__init__(
            f"{HEADER}“{row.key}”已用于另一个请求（{row.method} {row.path}，{timezone.localtime(row.created_at):%m-%d %H:%M}），"
            "内容不同。重试请原样提交；新的写入请换一个新的键。", field=HEADER)


class InProgress(ConflictError):
    def __init__(self):
        super().__init__(f"使用同一 {HEADER} 的请求正在处理中，请稍后重试以取得它的结果。", field=HEADER)


def finish(request, response) -> None:
    """Keep the answer for the reserved key; a server error frees the key (the write did not happen)."""
    row = getattr(request, "idempotent_request", None)
    if row is None:
        return
    if response.status_code >= 500:
        row.delete()
        return
    if getattr(response, "streaming", False):  # a file: its status is kept, not its bytes
        body = None
    else:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:  # not JSON: kept as text
            body = response.content.decode(errors="replace")
    row.status = response.status_code
    row.response = body
    row.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    row.save(update_fields=["status", "response", "headers"])


class IdempotencyMiddleware:
    """Completes what `begin` reserved, with the response the view gave."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "idempotent_request", None) is not None:
            finish(request, response)
        return response
