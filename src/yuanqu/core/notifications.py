"""In-app notifications; e-mail only when EMAIL_HOST is configured."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification


def notify_once(*, recipient, key: str, kind: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Create the notice unless this person already has one with this key (so cron reruns are harmless).

    Returns the new notification, or None when it already existed.
    """
    if Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=recipient, key=key[:200], kind=kind, title=title[:200], body=body, url=url[:300]
            )
    except IntegrityError:  # a concurrent run got there first
        return None
    if getattr(settings, "EMAIL_HOST", "") and recipient.email:
        transaction.on_commit(lambda: _email(notice))
    return notice


def notify_digest(*, recipient, key: str, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """One notice per key that later events refresh (title, body, unread again) instead of adding
    another: a day's reports of one unit are one line in the office's list, not thirty."""
    updated = Notification.objects.filter(recipient=recipient, key=key[:200]).update(
        title=title[:200], body=body, url=url[:300], read_at=None
    )
    if updated:
        return Notification.objects.get(recipient=recipient, key=key[:200])
    return notify_once(recipient=recipient, key=key, kind=kind, title=title, body=body, url=url) or (
        Notification.objects.get(recipient=recipient, key=key[:200]))


def _email(notice: Notification) -> None:
    try:
        send_mail(notice.title, f"{notice.body}\n\n{notice.url}", None, [notice.recipient.email])
    except OSError:
        return  # mail is a courtesy; the in-app notice is the record
    Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
