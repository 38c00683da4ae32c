"""Writes of the reports app: a bulletin's draft (generated with its figures frozen), the 督查室's
edits of its wording, and its issue (the .docx written once, the version frozen from then on)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.history import record_change
from yuanqu.core.jobs import start_job
from yuanqu.core.models import ChangeRecord, Job
from yuanqu.core.services import validate
from yuanqu.plans.models import Plan, ProgressReport, Target

from .bulletin import (
    DATA_STEPS,
    bulletin_data,
    data_from_json,
    data_to_json,
    default_issuer,
    render_docx,
    summary_counts,
)
from .models import Bulletin

# The wording the 督查室 edits on a draft: field → (label, required to issue).
EDITABLE = {
    "issuer": ("发文机关", True),
    "main_to": ("主送", True),
    "cc": ("抄送", False),
    "signer": ("签发人", True),
    "overview": ("总体情况", True),
    "requirements": ("下步工作要求", True),
}
CARRIED_OVER = ("issuer", "main_to", "cc", "signer")  # a new draft starts from the plan's last choices


def can_generate_bulletins(user) -> bool:
    """督查室 and administrators; None is the command line, which runs with the database's rights."""
    return user is None or (user.is_authenticated and user.can("reports.generate_bulletin"))


def _require_office(actor, what: str) -> None:
    if not can_generate_bulletins(actor):
        raise PermissionDeniedError(f"只有督查室或系统管理员可以{what}督查通报。")


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


def bulletin_generate(*, actor, plan: Plan, month: dt.date, today: dt.date | None = None,
                      progress=None) -> Bulletin:
    """A new draft version of `month`'s bulletin, its figures frozen as of now; earlier versions stay.

    The wording starts from the figures (总体情况) and the default requirements; 发文机关, 主送,
    抄送 and 签发人 from the plan's latest bulletin, else the zone's defaults. The figures are
    read first (a background job's progress shows each step), then the version is numbered and
    written in one transaction under the plan's lock: two generations of a month are two whole
    versions, never one half-written or two of the same number.
    """
    _require_office(actor, "生成")
    today = today or clock.today()
    month = check_bulletin_month(plan=plan, month=month, today=today)
    progress = progress or (lambda label: None)
    data = bulletin_data(plan=plan, month=month, user=actor, issued_on=today, progress=progress)
    progress(SAVE_STEP)
    with transaction.atomic():
        # The plan row is the lock that serialises version numbers of its bulletins.
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        latest = Bulletin.objects.filter(plan=plan, month=month).aggregate(v=Max("version"))["v"] or 0
        previous = Bulletin.objects.filter(plan=plan).order_by("-created_at", "-pk").values(*CARRIED_OVER).first()
        wording = previous or {"issuer": default_issuer(actor), "main_to": data["main_to"], "cc": data["cc"],
                               "signer": ""}
        bulletin = Bulletin(plan=plan, month=month, version=latest + 1, summary=summary_counts(data),
                            data=data_to_json(data), overview=data["overview"], requirements=data["requirements"],
                            created_by=actor, **wording)
        validate(bulletin, exclude=["file"])
        bulletin.save()
        record_change(actor=actor, obj=bulletin, action=ChangeRecord.Action.CREATE, after=_picture(bulletin))
    return bulletin


SAVE_STEP = "保存通报草稿"
BULLETIN_JOB = "yuanqu.reports.services.bulletin_job"


def generated_message(bulletin: Bulletin) -> str:
    return _("已生成%(label)s，%(issue)s第%(version)s版（草稿）。请核对文字、填写签发人后印发。") % {
        "label": str(bulletin), "issue": bulletin.issue_label, "version": bulletin.version}


def bulletin_request(*, actor, plan: Plan, month: dt.date, today: dt.date | None = None) -> Bulletin | Job:
    """Generate `month`'s bulletin: at once when the plan is small, else by the background worker.

    A plan with at least YUANQU_BULLETIN_BACKGROUND_TARGETS targets the actor sees takes seconds
    (status of every target, long tables): it becomes a Job whose page shows the progress, so no
    request waits on it. The rights and the month are checked now (a refusal is said at once) and
    again by the job, which runs later.
    """
    _require_office(actor, "生成")
    today = today or clock.today()
    month = check_bulletin_month(plan=plan, month=month, today=today)
    if Target.objects.visible_to(actor).filter(plan=plan).count() < settings.YUANQU_BULLETIN_BACKGROUND_TARGETS:
        return bulletin_generate(actor=actor, plan=plan, month=month, today=today)
    return start_job(
        actor=actor, kind=BULLETIN_JOB, title=f"生成{month.year}年{month.month}月督查通报",
        params={"plan": plan.pk, "month": month.isoformat(), "today": today.isoformat()},
        steps=len(DATA_STEPS) + 1, back_url=reverse("reports:bulletin_generate"),
    )


def bulletin_job(*, actor, params: dict, progress) -> tuple[str, str]:
    """The background job of bulletin_request, as the actor: the plan must still be one they see."""
    plan = Plan.objects.visible_to(actor).filter(pk=params["plan"]).first()
    if plan is None:
        raise ApplicationError("该计划已不存在或您已无权查看，未生成通报。", field="plan")
    bulletin = bulletin_generate(actor=actor, plan=plan, month=dt.date.fromisoformat(params["month"]),
                                 today=dt.date.fromisoformat(params["today"]), progress=progress)
    return reverse("reports:bulletin_edit", args=[bulletin.pk]), generated_message(bulletin)


def _picture(bulletin: Bulletin) -> dict:
    return {"status": bulletin.status, **{name: getattr(bulletin, name) for name in EDITABLE}}


def _frozen(bulletin: Bulletin) -> ApplicationError:
    when = timezone.localtime(bulletin.issued_at).strftime("%Y-%m-%d %H:%M") if bulletin.issued_at else ""
    return ApplicationError(
        f"{bulletin}已于{when}印发，内容已冻结，不能修改或再次印发；如需更正，请重新生成该月通报（将保存为新版本）。",
        field="status",
    )


def _locked_draft(bulletin: Bulletin, expected_revision) -> Bulletin:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.status != Bulletin.Status.DRAFT:
        raise _frozen(locked)
    if expected_revision not in (None, "") and str(expected_revision) != str(locked.revision):
        raise ConflictError(f"{locked}已被他人修改（当前为第{locked.revision}次修改），请刷新页面后重新编辑。",
                            field="revision")
    return locked


def _clean_wording(changes: dict) -> dict:
    cleaned = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            continue
        label, required = EDITABLE[name]
        text = str(value or "").strip()
        if name in {"issuer", "main_to", "cc", "signer"}:
            text = " ".join(text.split())  # one line each
        limit = Bulletin._meta.get_field(name).max_length
        if limit and len(text) > limit:
            raise ApplicationError(f"{label}最多{limit}个字，现为{len(text)}个字，请删减。", field=name)
        if required and name not in {"signer", "main_to"} and not text:
            raise ApplicationError(f"{label}不能为空，请填写。", field=name)
        cleaned[name] = text
    return cleaned


def bulletin_edit(*, actor, bulletin: Bulletin, changes: dict, expected_revision=None, issue: bool = False,
                  today: dt.date | None = None) -> Bulletin:
    """Save the 督查室's wording of a draft, and issue it too when asked (both or neither); an
    issued version is refused, nothing written."""
    _require_office(actor, "修改")
    with transaction.atomic():
        locked = _locked_draft(bulletin, expected_revision)
        cleaned = _clean_wording(changes)
        before = _picture(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        if _picture(locked) != before:
            locked.revision += 1
            validate(locked, exclude=["file"])
            locked.save()
            record_change(actor=actor, obj=locked, action=ChangeRecord.Action.UPDATE, before=before,
                          after=_picture(locked))
        if issue:
            locked = bulletin_issue(actor=actor, bulletin=locked, expected_revision=locked.revision, today=today)
    return locked


def draft_content(bulletin: Bulletin) -> bytes:
    """A draft's .docx as it would be issued now, marked 草稿 (rendered, never stored)."""
    return render_docx(wording_data(bulletin, draft=True))


def wording_data(bulletin: Bulletin, *, draft: bool, issued_on: dt.date | None = None) -> dict:
    data = data_from_json(bulletin.data)
    data.update({name: getattr(bulletin, name) for name in EDITABLE}, draft=draft)
    if issued_on is not None:
        data["issued_on"] = issued_on
    return data


def bulletin_issue(*, actor, bulletin: Bulletin, expected_revision=None, today: dt.date | None = None) -> Bulletin:
    """Issue a draft: check its wording is complete, write its .docx once, freeze it.

    The file is written first and the row second, in one transaction; if anything fails the file
    is removed again, so a failure leaves the draft as it was.
    """
    _require_office(actor, "印发")
    today = today or clock.today()
    with transaction.atomic():
        locked = _locked_draft(bulletin, expected_revision)
        for name, (label, required) in EDITABLE.items():
            if required and not getattr(locked, name).strip():
                raise ApplicationError(f"印发前请填写{label}。", field=name)
        if not locked.data:
            raise ApplicationError(f"{locked}没有冻结的通报数据，无法印发，请重新生成。", field="data")
        before = _picture(locked)
        locked.status = Bulletin.Status.ISSUED
        locked.issued_by = actor if getattr(actor, "pk", None) else None
        locked.issued_at = timezone.now()
        locked.issued_on = today
        content = render_docx(wording_data(locked, draft=False, issued_on=today))
        saved_name = None
        try:
            locked.file.save("bulletin.docx", ContentFile(content), save=False)
            saved_name = locked.file.name
            validate(locked, exclude=["file"])
            locked.save()
            record_change(actor=actor, obj=locked, action=ChangeRecord.Action.UPDATE, before=before,
                          after=_picture(locked), note="印发")
        except BaseException:
            if saved_name:
                locked.file.storage.delete(saved_name)
            raise
    return locked


def bulletin_content(bulletin: Bulletin) -> bytes:
    """The .docx people get: the issued file, or a draft rendered now."""
    if bulletin.is_draft:
        return draft_content(bulletin)
    with bulletin.file.open("rb") as handle:
        return handle.read()
