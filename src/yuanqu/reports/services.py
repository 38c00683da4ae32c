"""Writes of the reports app: generating a bulletin version (file and row together, or neither)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.services import validate
from yuanqu.plans.models import Plan, ProgressReport, Target

from .bulletin import bulletin_data, render_docx, summary_counts
from .models import Bulletin


def can_generate_bulletins(user) -> bool:
    """督查室 and administrators; None is the command line, which runs with the database's rights."""
    return user is None or (user.is_authenticated and user.can("reports.generate_bulletin"))


def check_bulletin_month(*, plan: Plan, month: dt.date, today: dt.date | None = None) -> dt.date:
    """The month as its first day, or an ApplicationError saying why it has nothing to report."""
    today = today or clock.today()
    month = month.replace(day=1)
    label = f"{month.year}年{month.month}月"
    if plan.status == Plan.Status.DRAFT:
        raise ApplicationError("计划尚未启用，无法生成通报。", field="plan")
    if month.year != plan.year:
        raise ApplicationError(f"{label}不在计划年度（{plan.year}年）内，无法生成通报。", field="month")
    if month > today.replace(day=1):
        raise ApplicationError(f"{label}尚未到来，无法生成通报。", field="month")
    targets = Target.objects.alive().filter(plan=plan)
    if not targets.exists():
        raise ApplicationError("该计划没有任何目标，无法生成通报。", field="plan")
    filed = ProgressReport.objects.filter(target__in=targets, period__lte=month)
    if not filed.exists():
        raise ApplicationError(f"{label}没有任何已填报的进度，无法生成通报。", field="month")
    return month


def bulletin_generate(*, actor, plan: Plan, month: dt.date, today: dt.date | None = None) -> Bulletin:
    """Generate the bulletin of `month` as a new version; earlier versions and their files stay.

    The file is written first and the row second, in one transaction; if anything fails the
    file is removed again, so a failure leaves neither.
    """
    if not can_generate_bulletins(actor):
        raise PermissionDeniedError("只有督查室或系统管理员可以生成督查通报。")
    today = today or clock.today()
    month = check_bulletin_month(plan=plan, month=month, today=today)
    with transaction.atomic():
        # The plan row is the lock that serialises version numbers of its bulletins.
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        latest = Bulletin.objects.filter(plan=plan, month=month).aggregate(v=Max("version"))["v"] or 0
        data = bulletin_data(plan=plan, month=month, user=actor, issued_on=today)
        content = render_docx(data)
        bulletin = Bulletin(plan=plan, month=month, version=latest + 1, summary=summary_counts(data),
                            created_by=actor)
        saved_name = None
        try:
            bulletin.file.save("bulletin.docx", ContentFile(content), save=False)
            saved_name = bulletin.file.name
            validate(bulletin, exclude=["file"])
            bulletin.save()
        except BaseException:
            if saved_name:
                bulletin.file.storage.delete(saved_name)
            raise
    return bulletin

