"""Pages of 督查督办. Every read starts from SupervisionItem.objects.visible_to(user); every write
calls a service and turns its ApplicationError into a message, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.attachments import ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_COUNT, ATTACHMENT_TYPES
from yuanqu.core.errors import ApplicationError, ConflictError
from yuanqu.core.ids import parse_id
from yuanqu.core.pages import apply_service_error, file_download, is_partial, require_ability
from yuanqu.core.pagination import Paginator
from yuanqu.core.xlsx import content_disposition
from yuanqu.org.models import OrgUnit
from yuanqu.plans.models import Target
from yuanqu.plans.selectors import evaluate_targets

from . import notice, selectors, services
from .filters import filter_items
from .forms import ActionForm, DecisionForm, ExtensionForm, InstructionForm, ItemForm
from .models import (
    ExtensionRequest,
    Instruction,
    State,
    SupervisionAttachment,
    SupervisionEvent,
    SupervisionItem,
)
from .tables import ItemTable

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Action = SupervisionEvent.Action

# What each button says, and whether it asks for a comment (required ones are marked in the form).
ACTION_BUTTONS = {
    Action.ASSIGN: {"label": "交办", "icon": "send", "style": "primary", "comment": "交办说明（可选）"},
    Action.START: {"label": "签收并开始办理", "icon": "play-circle", "style": "primary", "comment": ""},
    Action.FEEDBACK: {"label": "提交办理结果", "icon": "reply", "style": "primary", "comment": "办理结果",
                      "required": True},
    Action.URGE: {"label": "催办", "icon": "alarm", "style": "warning", "comment": "催办说明（可选）"},
    Action.RETURN: {"label": "退回重办", "icon": "arrow-counterclockwise", "style": "outline-danger",
                    "comment": "退回意见", "required": True},
    Action.CLOSE: {"label": "审核通过，办结销号", "icon": "check2-circle", "style": "success",
                   "comment": "审核意见（可选）"},
}
DONE_MESSAGES = {
    Action.ASSIGN: "已交办，牵头单位将收到通知。",
    Action.START: "已签收，督办事项进入办理中。",
    Action.FEEDBACK: "办理结果已提交，等待督查室审核。",
    Action.URGE: "已催办，牵头单位将收到催办通知。",
    Action.RETURN: "已退回牵头单位重新办理。",
    Action.CLOSE: "督办事项已办结销号。",
}


def _item_or_404(user, pk: int) -> SupervisionItem:
    try:
        return selectors.item_detail(user, pk)
    except SupervisionItem.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- list and inbox


@login_required
def item_list(request):
    user = request.user
    params = request.GET
    on = clock.today()
    filters, qs = filter_items(user, params, on)  # shared with the export (reports:export_supervision)
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    units = OrgUnit.objects.filter(
        pk__in=SupervisionItem.objects.visible_to(user).values("lead_unit")
    ).only("id", "name", "short_name")
    context = {
        "page": page, "table": ItemTable(list(page), on=on), "filters": filters, "units": units, "today": on,
        "state_choices": State.choices, "kind_choices": SupervisionItem.SourceKind.choices,
        "can_create": user.can("supervision.issue_item"),
    }
    template = "supervision/_item_table.html" if is_partial(request) else "supervision/item_list.html"
    return render(request, template, context)


@login_required
def inbox(request):
    user = request.user
    on = clock.today()
    days = parse_id(request.GET.get("days"))
    days = days if days is not None and 0 <= days <= 90 else 7
    sections = selectors.inbox(user, on=on, days=days)
    titles = {
        "assigned": ("待签收", "新交办、尚未签收的督办事项", "inbox"),
        "returned": ("被退回", "反馈被督查室退回、需重新办理", "arrow-counterclockwise"),
        "feedback": ("待审核反馈", "牵头单位已反馈、等待审核办结", "clipboard-check"),
        "extensions": ("待审批延期", "牵头单位提出的延期申请", "calendar-plus"),
        "due_soon": (f"{days}天内到期", f"办理期限在{days}天之内", "hourglass-split"),
        "overdue": ("已逾期", "超过办理期限仍未办结", "exclamation-octagon"),
        "in_progress": ("办理中", "已签收、正在办理的全部事项", "play-circle"),
    }
    blocks = [
        {"key": key, "title": titles[key][0], "hint": titles[key][1], "icon": titles[key][2], **data}
        for key, data in sections.items()
    ]
    context = {"blocks": blocks, "days": days, "today": on, "units": user.unit_names() if user.can("supervision.handle_item") else "",
               "limit": selectors.INBOX_LIMIT}
    return render(request, "supervision/inbox.html", context)


# ---------------------------------------------------------------- detail and actions


def _detail_context(request, item: SupervisionItem, **extra) -> dict:
    user = request.user
    on = clock.today()
    allowed = services.allowed_actions(user, item, today=on)
    buttons = [{"action": a, **ACTION_BUTTONS[a]} for a in ACTION_BUTTONS if a in allowed]
    extensions = list(selectors.item_extensions(item))
    pending = next((e for e in extensions if e.status == ExtensionRequest.Status.PENDING), None)
    context = {
        "item": item,
        "assisting": list(item.assisting_units.all()),
        "events": list(selectors.item_events(item)),
        "history": selectors.item_history(item, extensions),
        "extensions": extensions,
        "pending_extension": pending,
        "buttons": buttons,
        "can_request_extension": Action.EXTENSION_REQUEST in allowed and pending is None,
        "extension_closed": item.state in (State.ASSIGNED, State.IN_PROGRESS) and services.is_lead(user, item)
        and item.deadline < on,
        "can_decide": user.can("supervision.issue_item") and item.state != State.CLOSED,
        "can_edit": Action.UPDATE in allowed,
        "can_delete": "delete" in allowed,
        "overdue": item.is_overdue(on),
        "days_left": item.days_left(on),
        "today": on,
        "action_form": ActionForm(initial={"expected_version": item.version}),
        "extension_form": ExtensionForm(),
        "decision_form": DecisionForm(),
        "evidence_types": ",".join(sorted(ATTACHMENT_TYPES)), "evidence_count": ATTACHMENT_MAX_COUNT,
        "evidence_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
    context.update(extra)
    return context


def _detail_response(request, item_pk: int, **extra):
    item = _item_or_404(request.user, item_pk)
    if is_partial(request):
        return render(request, "supervision/_detail_body.html", _detail_context(request, item, **extra))
    if extra.get("error"):
        messages.error(request, extra["error"])
    elif extra.get("notice"):
        messages.success(request, extra["notice"])
    return redirect("supervision:detail", pk=item_pk)


@login_required
def item_detail(request, pk: int):
    item = _item_or_404(request.user, pk)
    context = _detail_context(request, item)
    context.update(_instruction_context(request.user, item=item))
    return render(request, "supervision/item_detail.html", context)


# ---------------------------------------------------------------- leaders' 批示


def _instruction_context(user, *, target=None, item=None, **extra) -> dict:
    return {
        "instructions": selectors.instructions_on(user, target=target, item=item),
        "on_target": target, "on_item": item,
        "can_instruct": user.can("supervision.instruct"),
        "can_raise": user.can("supervision.issue_item"),
        "instruction_form": extra.pop("instruction_form", None) or InstructionForm(),
        **extra,
    }


@login_required
def target_instructions(request, pk: int):
    """The 批示 panel of a target's page (loaded into it by htmx)."""
    target = get_object_or_404(Target.objects.visible_to(request.user), pk=pk)
    return render(request, "supervision/_instructions.html", _instruction_context(request.user, target=target))


@login_required
@require_POST
def instruction_create(request):
    user = request.user
    target = item = None
    if parse_id(request.POST.get("target")) is not None:
        target = get_object_or_404(Target.objects.visible_to(user), pk=parse_id(request.POST.get("target")))
    else:
        item = _item_or_404(user, parse_id(request.POST.get("item")) or 0)
    if not user.can("supervision.instruct"):
        raise PermissionDenied(_("只有领导可以作出批示。"))
    form = InstructionForm(request.POST)
    form.is_valid()
    error = notice = None
    try:
        services.instruction_create(actor=user, target=target, item=item, text=form.cleaned_data.get("text", ""),
                                    wants_item=form.cleaned_data.get("wants_item", False))
    except ApplicationError as exc:
        error = exc.message
    else:
        notice = _("批示已记录，督查室将收到通知。")
        form = InstructionForm()
    if is_partial(request):
        context = _instruction_context(user, target=target, item=item, instruction_form=form, error=error,
                                       notice=notice)
        return render(request, "supervision/_instructions.html", context)
    (messages.error if error else messages.success)(request, error or notice)
    back = reverse("plans:target_detail", args=[target.pk]) if target else reverse("supervision:detail", args=[item.pk])
    return redirect(back + "#instructions")


@login_required
def instruction_list(request):
    """The office's list of 批示 awaiting a 督办单, and the latest 批示 (leaders see theirs too)."""
    user = request.user
    if not (user.can("supervision.issue_item") or user.can("supervision.instruct")):
        raise PermissionDenied(_("领导批示由领导、督查室和系统管理员查看。"))
    pending = list(selectors.instructions_to_raise(user)[:selectors.INBOX_LIMIT])
    context = {"pending": pending, "can_raise": user.can("supervision.issue_item")}
    return render(request, "supervision/instruction_list.html", context)


@login_required
@require_POST
def item_act(request, pk: int, action: str):
    user = request.user
    item = _item_or_404(user, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    form = ActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    files = request.FILES.getlist("files") if action == Action.FEEDBACK else ()
    try:
        services.transition(actor=user, item=item, action=action, comment=data.get("comment") or "",
                            expected_version=data.get("expected_version"), files=files)
    except ApplicationError as exc:
        return _detail_response(request, pk, error=exc.message, failed_action=action,
                                failed_comment=data.get("comment") or "")
    return _detail_response(request, pk, notice=DONE_MESSAGES[action])


@login_required
@require_POST
def extension_request(request, pk: int):
    user = request.user
    item = _item_or_404(user, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        error = "；".join(f"{form.fields[f].label}：{e}" if f in form.fields else e
                         for f, errs in form.errors.items() for e in errs)
        return _detail_response(request, pk, error=error, extension_form=form)
    try:
        services.extension_request(actor=user, item=item, **form.cleaned_data)
    except ApplicationError as exc:
        return _detail_response(request, pk, error=exc.message, extension_form=form)
    return _detail_response(request, pk, notice=_("延期申请已提交，等待督查室审批。"))


@login_required
@require_POST
def extension_decide(request, pk: int):
    user = request.user
    ext = get_object_or_404(
        ExtensionRequest.objects.filter(item__in=SupervisionItem.objects.visible_to(user)), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, ext.item_id, error=_("请选择同意或不同意。"))
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == ExtensionRequest.Status.APPROVED:
            services.extension_approve(actor=user, request=ext, comment=comment)
            notice = _("已同意延期，办理期限已变更。")
        else:
            services.extension_refuse(actor=user, request=ext, comment=comment)
            notice = _("已不同意该延期申请。")
    except ApplicationError as exc:
        return _detail_response(request, ext.item_id, error=exc.message)
    return _detail_response(request, ext.item_id, notice=notice)


@login_required
def item_notice(request, pk: int):
    """The 督办通知单 (.docx), for whoever may read the item (404 otherwise)."""
    item = _item_or_404(request.user, pk)
    data = notice.render_notice(notice.notice_data(item, on=clock.today()))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(
        f"督办通知单{item.number}.docx", fallback=f"supervision-{item.year}-{item.seq}.docx"
    )
    return response


@login_required
def attachment_download(request, pk: int):
    """A feedback's 佐证材料, for whoever may read its item (404 otherwise)."""
    attachment = get_object_or_404(
        SupervisionAttachment.objects.filter(item__in=SupervisionItem.objects.visible_to(request.user)), pk=pk
    )
    return file_download(attachment.file, attachment.name)


# ---------------------------------------------------------------- create, edit, delete


@login_required
def item_create(request):
    user = request.user
    require_ability(user, "supervision.issue_item", message=_("只有督查室或系统管理员可以访问此页面。"))
    target = instruction = None
    target_id = parse_id(request.GET.get("target") or request.POST.get("from_target"))
    if target_id is not None:
        target = get_object_or_404(Target.objects.visible_to(user).select_related("plan", "lead_unit"), pk=target_id)
    instruction_id = parse_id(request.GET.get("instruction") or request.POST.get("from_instruction"))
    if instruction_id is not None:  # 立项 from a leader's 批示
        instruction = get_object_or_404(Instruction.objects.visible_to(user).select_related(
            "author", "target__plan", "target__lead_unit", "item__lead_unit"), pk=instruction_id)
        target = instruction.target
    if request.method == "POST":
        form = ItemForm(request.POST, user=user)
        if form.is_valid():
            try:
                with transaction.atomic():  # register and hand over together, or neither
                    if instruction is not None:
                        item = services.instruction_raise(actor=user, instruction=instruction,
                                                          data=form.service_data())
                    else:
                        item = services.item_create(actor=user, data=form.service_data())
                    if request.POST.get("and_assign"):
                        services.item_assign(actor=user, item=item)
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                if request.POST.get("and_assign"):
                    messages.success(request, _("已立项并交办：%s") % item.number)
                else:
                    messages.success(request, _("已立项：%s。确认无误后请交办。") % item.number)
                return redirect("supervision:detail", pk=item.pk)
    else:
        initial = {"day_type": SupervisionItem.DayType.CALENDAR, "time_limit": 15}
        if instruction is not None:
            if instruction.raised_item_id:
                messages.info(request, _("该批示已立项为督办单。"))
                return redirect("supervision:detail", pk=instruction.raised_item_id)
            status = evaluate_targets([target], clock.today())[target.pk].status.label if target else ""
            initial = ItemForm.initial_from_instruction(
                instruction, services.instruction_source_text(instruction), status_label=status)
        elif target is not None:
            status = evaluate_targets([target], clock.today())[target.pk].status
            initial = ItemForm.initial_from_target(target, status_label=status.label)
        else:
            kind = request.GET.get("source_kind")
            if kind in SupervisionItem.SourceKind.values:
                initial["source_kind"] = kind
        form = ItemForm(initial=initial, user=user)
    return render(request, "supervision/item_form.html",
                  {"form": form, "target": target, "item": None, "instruction": instruction,
                   "picked": form.picked_target()})


@login_required
def target_picker(request):
    """The 关联目标 picker on the 立项 form (htmx): the targets matching the typed words, or the
    picker holding the target picked; only targets the user sees, of plans in force."""
    user = request.user
    require_ability(user, "supervision.issue_item", message=_("只有督查室或系统管理员可以访问此页面。"))
    pick = parse_id(request.GET.get("pick"))
    if pick is not None or "clear" in request.GET:
        picked = None
        if pick is not None:
            picked = selectors.pickable_targets(user).filter(pk=pick).first()
            if picked is None:
                raise Http404
        return render(request, "supervision/_target_picker.html", {"picked": picked})
    q = request.GET.get("q", "").strip()
    rows, more = selectors.target_search(user, q) if q else ([], False)
    return render(request, "supervision/_target_results.html", {"rows": rows, "more": more, "q": q})


@login_required
def item_edit(request, pk: int):
    user = request.user
    require_ability(user, "supervision.issue_item", message=_("只有督查室或系统管理员可以访问此页面。"))
    item = _item_or_404(user, pk)
    if item.state == State.CLOSED:
        messages.error(request, _("当前状态为“已办结”，不能再修改。"))
        return redirect("supervision:detail", pk=pk)
    conflict = None
    if request.method == "POST":
        form = ItemForm(request.POST, user=user, item=item, initial=ItemForm.initial_for(item))
        if form.is_valid():
            try:
                services.item_update(actor=user, item=item, data=form.service_data(),
                                     expected_version=form.cleaned_data["expected_version"])
            except ConflictError as exc:
                conflict = exc.message
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("督办单已保存。"))
                return redirect("supervision:detail", pk=pk)
    else:
        form = ItemForm(initial=ItemForm.initial_for(item), user=user, item=item)
    return render(request, "supervision/item_form.html",
                  {"form": form, "item": item, "target": None, "conflict": conflict, "picked": form.picked_target()})


@login_required
@require_POST
def item_delete(request, pk: int):
    user = request.user
    item = _item_or_404(user, pk)
    try:
        services.item_delete(actor=user, item=item, expected_version=parse_id(request.POST.get("expected_version")))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:detail", pk=pk)
    messages.success(request, _("已删除督办单%s（记录保留在修改历史中）。") % item.number)
    return redirect("supervision:list")
