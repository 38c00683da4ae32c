"""What a person typed survives a refused submit: an expired session or a stale CSRF token.

The text fields of the refused POST are kept in the session, bound to the person — their id, or
for an expired session the signed `yuanqu_user` cookie set while they were signed in (no cookie,
nothing kept) — and to the page the form was on, named by the Referer, which must be this site's
(a post from elsewhere is not kept).
When that same person next opens that page, the values are handed to it once (context processor
`kept_form`) and filled into the form that posts to the same address (static kept-form.js). Nothing
is ever submitted for them: they check and submit again. Files cannot be kept; the page says so.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

SESSION_KEY = "yuanqu_kept_form"
USER_COOKIE = "yuanqu_user"
USER_COOKIE_SALT = "yuanqu.kept_forms.user"
USER_COOKIE_AGE = 30 * 24 * 3600
MAX_AGE = 12 * 3600  # typed text older than a working day is not brought back
SKIP = {"csrfmiddlewaretoken"}

EXPIRED_MESSAGE = ("登录已超时，请重新登录。您填写的内容已保留：登录后回到原页面时会自动填回"
                   "（附件需重新选择），请核对后再提交。")


def _own_referer(request) -> str | None:
    """The path of the page that posted, when the Referer is this site's (else None)."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return urlsplit(referer).path or None
    return None


def page_path(request) -> str:
    """The page the form was on: the Referer when it is this site's, else the posted address."""
    return _own_referer(request) or request.path


def owner_from_cookie(request) -> int | None:
    value = request.get_signed_cookie(USER_COOKIE, default=None, salt=USER_COOKIE_SALT, max_age=USER_COOKIE_AGE)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def owner(request) -> int | None:
    """Who typed: the signed-in person, else the one the signed cookie names."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return owner_from_cookie(request)


def keep(request) -> str | None:
    """Keep the POST's text fields for their owner and page; returns the page, or None when nothing
    is kept (no owner known, nothing typed, or the login form itself)."""
    who = owner(request)
    page = _own_referer(request)
    # Only a form posted from one of our own pages is kept: another site's post cannot fill our forms.
    if who is None or page is None or request.path == resolve_url(settings.LOGIN_URL):
        return None
    data = {key: request.POST.getlist(key) for key in request.POST
            if key not in SKIP and "password" not in key}
    if not any(v.strip() for values in data.values() for v in values):
        return None
    request.session[SESSION_KEY] = {
        "user": who, "page": page, "action": request.path, "data": data, "at": int(time.time()),
        "files": bool(request.FILES),
    }
    return page


def take(request) -> dict | None:
    """The values kept for this person and this page, once; kept values of someone else are dropped."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session or request.method != "GET":
        return None
    if request.headers.get("HX-Request") or not request.user.is_authenticated:
        return None  # a fragment has no form to fill; after login they come back
    kept = session[SESSION_KEY]
    if kept.get("user") != request.user.pk or time.time() - kept.get("at", 0) > MAX_AGE:
        session.pop(SESSION_KEY)
        return None
    if kept.get("page") != request.path:
        return None
    return session.pop(SESSION_KEY)


def _login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.get("Location", "")).path == resolve_url(
        settings.LOGIN_URL)


class KeptFormMiddleware:
    """A POST that meets an expired session is kept and the login brings its page back (not the
    POST-only address); signed-in responses carry the signed cookie naming whose typing to keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None:
            return response
        if request.method == "POST" and not user.is_authenticated and _login_redirect(response):
            if keep(request):
                messages.warning(request, EXPIRED_MESSAGE)
            login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page_path(request)})}"
            if request.headers.get("HX-Request"):
                return HttpResponseClientRedirect(login)  # a fragment swap would put the login page in a box
            response["Location"] = login
        elif user.is_authenticated and owner_from_cookie(request) != user.pk:
            response.set_signed_cookie(USER_COOKIE, user.pk, salt=USER_COOKIE_SALT, max_age=USER_COOKIE_AGE,
                                       httponly=True, samesite="Lax", secure=request.is_secure())
        return response
