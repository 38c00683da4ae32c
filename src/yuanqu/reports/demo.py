"""The demo's bulletin: last month's 督查通报 for the active demo plan, made by the demo 督查室."""

from __future__ import annotations

import datetime as dt
import logging

from yuanqu.core.errors import ApplicationError
from yuanqu.org.models import User
from yuanqu.plans.models import Plan

from .models import Bulletin
from .services import bulletin_generate

log = logging.getLogger(__name__)


def demo_month(today: dt.date) -> dt.date:
    """The month just ended; in January the month under way (the plan year has no earlier one)."""
    first = today.replace(day=1)
    return first if today.month == 1 else (first - dt.timedelta(days=1)).replace(day=1)


def clear_demo() -> None:
    """Remove the demo plan's bulletins (their files go once the deletion is committed)."""
    for bulletin in Bulletin.objects.filter(plan__is_demo=True):
        bulletin.delete()


def build_demo(*, today: dt.date) -> None:
    """Generate the bulletin of the month before `today`; skipped quietly when there is nothing to report."""
    supervisor = User.objects.filter(is_demo=True, role=User.Role.SUPERVISOR, is_active=True).order_by("pk").first()
    plan = Plan.objects.filter(is_demo=True, status=Plan.Status.ACTIVE).order_by("-year", "-pk").first()
    if supervisor is None or plan is None:
        return
    try:
        bulletin_generate(actor=supervisor, plan=plan, month=demo_month(today), today=today)
    except ApplicationError as exc:
        log.warning("demo bulletin skipped: %s", exc.message)
