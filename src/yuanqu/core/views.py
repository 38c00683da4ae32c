"""The notifications page (a person's notices, unread first; marking them read) and the CSRF failure page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from yuanqu.core.pagination import Paginator

from . import kept_forms
from .ids import parse_id
from .models import Notification
from .notifications import mark_read, unread_count

PAGE_SIZE = 50


@login_required
def notification_list(request):
    user = request.user
    notices = Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    if request.GET.get("unread") == "1":
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": unread_count(user), "only_unread": request.GET.get("unread") == "1"}
    return render(request, "core/notifications.html", context)


@login_required
@require_POST
def notification_mark_read(request):
    """Mark the posted ids (`id` repeated), or all of the user's notices when none are posted."""
    ids = [i for i in map(parse_id, request.POST.getlist("id")) if i is not None]
    count = mark_read(user=request.user, ids=ids or None)
    if count:
        messages.success(request, _("已将%(n)s条通知标为已读。") % {"n": count})
    return redirect("core:notifications")


@login_required
def notification_open(request, pk: int):
    """Follow a notice's link, marking it read on the way (only one's own, only to this site)."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(user=request.user, ids=[notice.pk])
    url = notice.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return redirect(url)
    return redirect("core:notifications")


STALE_MESSAGE = ("页面已过期，刚才的操作没有提交（安全校验未通过，常见于页面打开过久或在其他窗口重新登录）。"
                 "您填写的内容已保留并已填回，请核对后再提交（附件需重新选择）。")


def csrf_failure(request, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: a Chinese page instead of Django's, keeping what was typed
    (core.kept_forms) so the form comes back filled; nothing is submitted for the person."""
    page = kept_forms.keep(request)
    signed_in = request.user.is_authenticated
    if request.headers.get("HX-Request"):
        # htmx does not show a 403; send the browser back to the page (or the login), which refills the form.
        if page:
            messages.warning(request, STALE_MESSAGE if signed_in else kept_forms.EXPIRED_MESSAGE)
        back = page or kept_forms.page_path(request)
        return HttpResponseClientRedirect(back if signed_in else f"{resolve_url(settings.LOGIN_URL)}?next={back}")
    context = {"kept": page is not None, "back": page or kept_forms.page_path(request), "signed_in": signed_in}
    return render(request, "core/csrf_failure.html", context, status=403)
