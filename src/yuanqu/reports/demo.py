"""The demo's bulletin: the 督查通报 of the month just ended for the active demo plan, made by the demo 督查室."""

from __future__ import annotations

import datetime as dt
import logging

from yuanqu.core.errors import ApplicationError
from yuanqu.core.periods import default_period
from yuanqu.org.selectors import first_holder
from yuanqu.plans.models import Plan

from .models import Bulletin
from .services import bulletin_generate

log = logging.getLogger(__name__)


def clear_demo() -> None:
    """Remove the demo plan's bulletins (their files go once the deletion is committed)."""
    for bulletin in Bulletin.objects.filter(plan__is_demo=True):
        bulletin.delete()


def build_demo(*, today: dt.date) -> None:
    """Generate the bulletin of the month just ended (the month reports are filed for,
    core.periods.default_period); skipped quietly when there is nothing to report."""
    supervisor = first_holder("supervision.oversee", is_demo=True)
    plan = Plan.objects.filter(is_demo=True, status=Plan.Status.ACTIVE).order_by("-year", "-pk").first()
    month = default_period(plan.year, today) if plan is not None else None
    if supervisor is None or month is None:
        return
    try:
        bulletin_generate(actor=supervisor, plan=plan, month=month, today=today)
    except ApplicationError as exc:
        log.warning("demo bulletin skipped: %s", exc.message)
