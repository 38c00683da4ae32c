"""The notifications page: a person's notices, unread first; marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
