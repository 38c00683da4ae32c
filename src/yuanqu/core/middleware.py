"""Middleware of our own."""

import logging

from django.utils.cache import patch_vary_headers

log = logging.getLogger(__name__)


class VaryOnHtmxMiddleware:
    """Every HTML response varies on HX-Request: list pages answer an htmx request with a fragment
    and a plain one with the whole page at the same URL, so a browser or proxy cache must not
    give one for the other (htmx's history restore would show a bare fragment). django-htmx leaves
    this to a per-view `vary_on_headers`; one middleware keeps new views from forgetting it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        return response


class DatabaseBusyMiddleware:
    """A write that waited out SQLite's busy timeout behind another writer (a long import) is
    answered 503 with a Chinese message and Retry-After — a page or the API's error shape — never
    a 500: nothing was saved and the same action succeeds a moment later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import BUSY_MESSAGE, BUSY_RETRY_AFTER, is_database_busy
        from .security import error_json, is_api

        if not is_database_busy(exception):
            return None
        log.warning("database busy on %s %s: %s", request.method, request.path, exception)
        if is_api(request):
            response = error_json(BUSY_MESSAGE, 503)
        else:
            response = render(request, "core/busy.html", {"message": BUSY_MESSAGE}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response


class ApiErrorShapeMiddleware:
    """Every error answer under /api/ is JSON in the API's one shape, also those made outside DRF:
    Django's 404 for an address no route matches (a malformed id), its 400/403/500 pages."""

    MESSAGES = {
        400: "请求无法处理，请检查地址和参数。",
        403: "无权操作，或请求缺少 CSRF 令牌。",
        404: "未找到，或您无权查看。",
        405: "此地址不支持该请求方法。",
        500: "服务器内部错误，已记录，请稍后重试或联系系统管理员。",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .security import error_json, is_api

        response = self.get_response(request)
        if (response.status_code < 400 or not is_api(request)
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        code = response.status_code
        message = self.MESSAGES.get(code) or ("服务器内部错误，请稍后重试。" if code >= 500 else "请求无法处理。")
        shaped = error_json(message, code)
        for name in ("Allow", "Retry-After", "WWW-Authenticate"):
            if response.has_header(name):
                shaped[name] = response[name]
        return shaped
