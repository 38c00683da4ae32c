"""The demo's bulletin: the 督查通报 of the month just ended for the active demo plan, made by the demo 督查室."""

from __future__ import annotations

import datetime as dt
import logging

from yuanqu.core.errors import ApplicationError
from yuanqu.core.periods import default_period
from yuanqu.org import roles
from yuanqu.org.models import User
from yuanqu.org.selectors import first_holder
from yuanqu.plans.models import Plan

from .models import Bulletin
from .services import bulletin_edit, bulletin_generate

log = logging.getLogger(__name__)


def clear_demo() -> None:
    """Remove the demo plan's bulletins (their files go once the deletion is committed)."""
    for bulletin in Bulletin.objects.filter(plan__is_demo=True):
        bulletin.delete()


def build_demo(*, today: dt.date) -> None:
    """Generate the bulletin of the month just ended (the month reports are filed for,
    core.periods.default_period) and issue it, signed by the demo leader; then a second version
    left as a draft for the 督查室 to edit. Skipped quietly when there is nothing to report."""
    supervisor = first_holder("supervision.oversee", is_demo=True)
    leader = User.objects.filter(is_demo=True, is_active=True, role_assignments__role=roles.LEADER).order_by("pk").first()
    plan = Plan.objects.filter(is_demo=True, status=Plan.Status.ACTIVE).order_by("-year", "-pk").first()
    month = default_period(plan.year, today) if plan is not None else None
    if supervisor is None or month is None:
        return
    try:
        issued = bulletin_generate(actor=supervisor, plan=plan, month=month, today=today)
        signer = str(leader) if leader is not None else "管委会主任"
        bulletin_edit(actor=supervisor, bulletin=issued, changes={"signer": signer}, issue=True, today=today)
        bulletin_generate(actor=supervisor, plan=plan, month=month, today=today)
    except ApplicationError as exc:
        log.warning("demo bulletin skipped: %s", exc.message)
