"""Pages of the plan tracker. Every read starts from a scope queryset (visible_to/reportable_by);
every write calls a service and turns its ApplicationError into a message, never a 500."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from yuanqu.core.ids import parse_id
from yuanqu.core.pages import announce, apply_service_error, file_download, is_partial, require_ability
from yuanqu.core.pagination import Paginator
from yuanqu.core.periods import default_period, report_months
from yuanqu.org.models import OrgUnit
from yuanqu.org.selectors import unit_tree

from . import adjustments, selectors, services, stored
from . import status as lights
from .display import num
from .filters import STATUS_LABELS, filtered_target_queryset, sorted_targets
from .forms import (
    AdjustmentDecisionForm,
    AdjustmentForm,
    LedgerItemForm,
    LedgerStatusForm,
    PlanColumnsForm,
    PlanImportForm,
    PlanSettingsForm,
    ReportForm,
    ReviewForm,
    TargetForm,
    TargetMetricForm,
    UnitMappingForm,
    month_label,
)
from .models import LedgerItem, Measure, Plan, ProgressReport, ReportAttachment, Target, TargetAdjustment
from .pages_support import highlight, plan_text_blocks, section_text_bounds, status_bar
from .selectors import current_plan
from .status import BAR_ORDER
from .tables import ReviewQueueTable, TargetTable

PAGE_SIZE = 50
HISTORY_SHOWN = 8  # the latest entries of a target's history; older ones fold away
STATUS_CHOICES = [(s.value, s.label) for s in lights.Status]




def _draft_only(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise PermissionDenied(_("计划已启用或关闭，草稿审阅页只能查看，不能修改目标。"
                                 "执行中的目标请在目标页面“申请调整”，经审批后生效。"))


def _draft_to_edit(request, pk: int) -> Plan:
    """The draft plan a review-page edit is aimed at: in the user's scope (else 404), the user may
    edit plans (else 403), and it is still a draft."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    require_ability(request.user, "plans.edit_plan")
    _draft_only(plan)
    return plan


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback






# ---------------------------------------------------------------- home and plans


@login_required
def home(request):
    user = request.user
    # A reporter starts on their unit's page; one who also reads every plan (a leader reporting
    # for a unit) starts on the plan, with their unit's page one click away in the menu.
    if user.can("plans.report_progress") and not user.can("plans.read_all"):
        return redirect("plans:my_unit")
    # A leader reads the whole zone but runs no queue: the cockpit is their page. The 督查室 and
    # administrators (who edit plans) start on the current plan, as before.
    if user.can("cockpit.view") and not user.can("plans.edit_plan"):
        return redirect("cockpit:index")
    return _to_current_plan(user)


def _to_current_plan(user):
    plan = current_plan(user)
    if plan is not None:
        return redirect("plans:plan_detail", pk=plan.pk)
    return redirect("plans:plan_list")


@login_required
def plan_current(request):
    return _to_current_plan(request.user)


@login_required
def plan_list(request):
    plans = Plan.objects.visible_to(request.user).annotate(
        target_count=Count("targets", filter=Q(targets__deleted_at__isnull=True))
    )
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_import(request):
    """Paste or upload a plan; it becomes a draft and the review page opens. A file or text holding a
    task table first shows the column-mapping step (PlanColumnsForm), which posts back here."""
    require_ability(request.user, "plans.edit_plan")
    if request.method == "POST" and "document" in request.POST:
        return _plan_import_columns(request)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.read_plan_upload(data["file"]) if data.get("file") else services.read_plan_paste(data["text"])
            if document.tables:
                columns = PlanColumnsForm(document=document, initial={"year": data["year"], "title": data.get("title")})
                return render(request, "plans/plan_import_columns.html", {"form": columns, "document": document})
            return _import_document(request, document, data)
        except ApplicationError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
    return render(request, "plans/plan_import.html", {"form": form})


def _plan_import_columns(request):
    form = PlanColumnsForm(request.POST)
    if form.is_valid():
        try:
            return _import_document(request, form.document, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    if form.document is None:
        messages.error(request, _("上传的文件内容已失效，请重新上传计划文件。"))
        return redirect("plans:plan_import")
    return render(request, "plans/plan_import_columns.html", {"form": form, "document": form.document})


def _import_document(request, document, data):
    plan = services.plan_import_text(actor=request.user, text=document.text, year=data["year"], title=data.get("title"))
    counts = plan.targets.count(), plan.sections.count()
    read = f"（{document.format_label}，编码 {document.encoding}）" if document.encoding else ""
    messages.success(request, f"已导入为草稿{read}：{counts[1]}个章节、{counts[0]}个目标。请逐条审阅并指定牵头单位后启用。")
    return redirect("plans:plan_review", pk=plan.pk)


@login_required
def plan_detail(request, pk: int):
    user = request.user
    plan = get_object_or_404(Plan.objects.visible_to(user), pk=pk)
    on = clock.today()
    rows = selectors.section_overview(plan, user, on)
    totals: Counter = Counter()
    total = 0
    for row in rows:
        row["bar"] = status_bar(row["counts"], row["total"])
        totals.update(row["counts"])
        total += row["total"]
    context = {
        "plan": plan,
        "rows": rows,
        "total": total,
        "totals": [{"status": s.value, "label": s.label, "count": totals.get(s.value, 0)} for s in BAR_ORDER],
        "total_bar": status_bar(dict(totals), total),
        "schedule": lights.schedule_progress(plan.year_start, plan.year_end, on, plan.progress_mode),
        "today": on,
        "plans": Plan.objects.visible_to(user).only("id", "year", "title", "status"),
    }
    if user.can("plans.edit_plan"):
        context["settings_form"] = PlanSettingsForm(
            initial={"progress_mode": plan.progress_mode, "gap_basis": plan.gap_basis,
                     "green_band": num(plan.green_band), "yellow_band": num(plan.yellow_band),
                     "adjustment_approver": plan.adjustment_approver, "expected_version": plan.version}
        )
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_POST
def plan_settings(request, pk: int):
    user = request.user
    plan = get_object_or_404(Plan.objects.visible_to(user), pk=pk)
    require_ability(user, "plans.edit_plan")
    form = PlanSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("计划设置有误：") + "；".join(e for errs in form.errors.values() for e in errs))
    else:
        keys = ["progress_mode", "gap_basis", "green_band", "yellow_band"]
        if form.cleaned_data["adjustment_approver"]:  # older forms do not send it
            keys.append("adjustment_approver")
        data = {k: form.cleaned_data[k] for k in keys}
        announce(request, lambda: services.plan_update_settings(
            actor=user, plan=plan, data=data, expected_version=form.cleaned_data["expected_version"]),
            _("计划设置已保存。"))
    return redirect("plans:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_activate(request, pk: int):
    return _plan_transition(request, pk, services.plan_activate, _("计划已启用，各单位可以开始填报。"))


@login_required
@require_POST
def plan_close(request, pk: int):
    return _plan_transition(request, pk, services.plan_close, _("计划已关闭。"))


@login_required
@require_POST
def plan_discard(request, pk: int):
    return _plan_transition(request, pk, services.plan_discard, _("计划草稿已删除（操作已留痕，原文保存在修改记录中）。"),
                            done_url=reverse("plans:plan_list"))


def _plan_transition(request, pk: int, service, done_message: str, done_url: str | None = None):
    user = request.user
    plan = get_object_or_404(Plan.objects.visible_to(user), pk=pk)
    require_ability(user, "plans.edit_plan")
    if announce(request, lambda: service(actor=user, plan=plan), done_message) and done_url:
        return redirect(done_url)  # e.g. the plan is gone
    return redirect(_next_url(request, reverse("plans:plan_detail", args=[plan.pk])))


# ---------------------------------------------------------------- targets


def _status_param(request) -> str:
    """The `status` filter of a list page: a status, else "" (all) with a Chinese notice naming the
    field when the value is not one (a stale or edited link), never a 500."""
    value = request.GET.get("status") or ""
    if value and value not in STATUS_LABELS:
        messages.warning(request, f"状态筛选“{value[:20]}”不是有效的状态（可选：{'、'.join(STATUS_LABELS.values())}），"
                                  "已显示全部状态的目标。")
        return ""
    return value


@login_required
def target_list(request):
    user = request.user
    on = clock.today()
    found, targets = filtered_target_queryset(user, request.GET, on)
    _status_param(request)
    plan = found.plan
    page, sections, units, facts = None, [], [], {}
    if plan is not None:
        # Counted and sliced in the database (a page past the end answers the last page); the facts
        # behind the figures are read for the page's rows only.
        page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
        facts = selectors.target_facts(page.object_list, on)
        sections = list(plan.sections.only("id", "no", "title"))
        scoped = Target.objects.visible_to(user).filter(plan=plan)
        units = list(OrgUnit.objects.filter(pk__in=scoped.values("lead_unit")).only("id", "name", "short_name"))
    filters = {"section": found.section, "unit": found.unit, "status": found.status, "kind": found.kind,
               "q": found.q, "overdue": found.overdue}
    context = {
        "plan": plan, "plans": list(Plan.objects.visible_to(user).only("id", "year", "title", "status")),
        "table": TargetTable(list(page or []), facts=facts, today=on), "page": page, "filters": filters, "sections": sections, "units": units,
        "status_choices": STATUS_CHOICES, "kind_choices": Target.Kind.choices, "today": on,
    }
    template = "plans/_target_table.html" if is_partial(request) else "plans/target_list.html"
    return render(request, template, context)


def _ledger_context(user, target: Target, **extra) -> dict:
    can_report = services.can_report(user, target)
    context = {
        "target": target,
        "ledger_items": list(target.ledger_items.alive().select_related("unit")),
        "can_edit_ledger": services.can_edit_ledger(user, target, reporting=can_report),
        "ledger_status_choices": LedgerItem.Status.choices,
        "can_report": can_report,
    }
    context.setdefault("ledger_form", LedgerItemForm())
    context.update(extra)
    return context


@login_required
def target_detail(request, pk: int, **kwargs):
    user = request.user
    target = get_object_or_404(
        Target.objects.visible_to(user).select_related("plan", "section", "measure", "lead_unit"), pk=pk
    )
    plan = target.plan
    on = clock.today()
    facts = selectors.target_facts([target], on)[target.pk]
    evaluation = facts.evaluation
    reports = list(
        ProgressReport.objects.filter(target=target)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("attachments")
        .order_by("-period", "-version")
    )
    start, end = section_text_bounds(plan, target.section)
    if target.source_start is not None and not (start <= target.source_start < end):
        start, end = 0, len(plan.source_text)
    span = [(target.source_start, target.source_end, target.pk)]
    context = _ledger_context(user, target)
    metric = target.metric_def
    context.update({
        "plan": plan,
        "ev": evaluation,
        "metric": metric,
        "metric_params": [(p.label, target.metric_params.get(p.name)) for p in metric.params] if metric else [],
        "metric_value": facts.metric_value,
        "metric_unavailable": facts.metric_unavailable,
        "snapshots": list(target.snapshots.order_by("period")[:24]) if metric else [],
        "metric_form": kwargs.get("metric_form") or TargetMetricForm(initial={
            "metric": target.metric, "params": " ".join(f"{k}={v}" for k, v in target.metric_params.items()),
        }),
        "cooperating": list(target.cooperating_units.all()),
        "reports": reports,
        "status_history": selectors.status_history(target, on),
        "source_pieces": highlight(plan.source_text[start:end], span, offset=start),
        "has_span": target.source_start is not None,
        "today": on,
        "adjustments": list(TargetAdjustment.objects.visible_to(request.user).filter(target=target)
                            .select_related("requested_by").order_by("-requested_at", "-pk")[:20]),
        "may_adjust": plan.status == Plan.Status.ACTIVE and adjustments.may_request(request.user, target),
    })
    # The target's own edits, its ledger items' and its reports' (each report's under its month).
    context["changes"], context["history"] = selectors.target_history(target, reports)
    context["history_shown"] = HISTORY_SHOWN
    context["history_older"] = max(0, len(context["history"]) - HISTORY_SHOWN)
    return render(request, "plans/target_detail.html", context)


@login_required
@require_POST
def target_metric(request, pk: int):
    """Bind a target to a registered metric (or unbind it with an empty choice)."""
    target = get_object_or_404(Target.objects.visible_to(request.user), pk=pk)
    form = TargetMetricForm(request.POST)
    if form.is_valid():
        try:
            services.target_update(
                actor=request.user, target=target,
                data={"metric": form.cleaned_data["metric"], "metric_params": form.cleaned_data["params"]},
                expected_version=request.POST.get("expected_version"),
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "取数指标已更新。")
            return redirect("plans:target_detail", pk=target.pk)
    return target_detail(request, pk, metric_form=form)


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        ReportAttachment.objects.filter(report__in=ProgressReport.objects.visible_to(request.user)), pk=pk
    )
    return file_download(attachment.file, attachment.name)


# ---------------------------------------------------------------- ledger items


@login_required
@require_POST
def ledger_item_create(request, pk: int):
    user = request.user
    target = get_object_or_404(Target.objects.visible_to(user).select_related("plan"), pk=pk)
    context = _ledger_context(user, target)
    if not context["can_edit_ledger"]:
        raise PermissionDenied(_("您无权维护该目标的台账：它不由您的单位牵头。"))
    form = LedgerItemForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_item_create(actor=user, target=target, data=dict(form.cleaned_data))
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            return _ledger_response(request, user, target, notice=_("已新增台账事项“%s”。") % form.cleaned_data["name"])
    return _ledger_response(request, user, target, ledger_form=form, show_new=True)


@login_required
@require_POST
def ledger_item_update(request, pk: int):
    user = request.user
    item = get_object_or_404(
        LedgerItem.objects.alive().filter(target__in=Target.objects.visible_to(user)).select_related("target__plan"),
        pk=pk,
    )
    target = item.target
    if not _ledger_context(user, target)["can_edit_ledger"]:
        raise PermissionDenied(_("您无权维护该目标的台账：它不由您的单位牵头。"))
    form = LedgerStatusForm(request.POST)
    error = None
    if not form.is_valid():
        error = "；".join(e for errs in form.errors.values() for e in errs)
    else:
        data = {"status": form.cleaned_data["status"], "completed_on": form.cleaned_data["completed_on"]}
        try:
            services.ledger_item_update(
                actor=user, item=item, data=data, expected_version=form.cleaned_data["expected_version"]
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            return _ledger_response(request, user, target, notice=_("“%s”已更新。") % item.name)
    return _ledger_response(request, user, target, error=error)


def _ledger_response(request, user, target, **extra):
    if is_partial(request):
        return render(request, "plans/_ledger.html", _ledger_context(user, target, **extra))
    if extra.get("error"):
        messages.error(request, extra["error"])
    elif extra.get("ledger_form") is not None and extra["ledger_form"].errors:
        form = extra["ledger_form"]
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    elif extra.get("notice"):
        messages.success(request, extra["notice"])
    return redirect(reverse("plans:target_detail", args=[target.pk]) + "#ledger")


# ---------------------------------------------------------------- reports


def _period_versions(target: Target) -> dict[str, dict]:
    rows = ProgressReport.objects.filter(target=target).current().values_list("period", "version", "review")
    labels = dict(ProgressReport.Review.choices)
    return {f"{p:%Y-%m}": {"version": v, "review": str(labels.get(r, r))} for p, v, r in rows}


@login_required
def report_create(request, pk: int):
    user = request.user
    target = get_object_or_404(Target.objects.visible_to(user).select_related("plan", "lead_unit"), pk=pk)
    try:
        services.assert_can_report(user, target)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    on = clock.today()
    months = report_months(target.plan.year, on)
    versions = _period_versions(target)
    conflict = None
    # The month shown: the one posted, else ?period= (a returned report's link), else the month due.
    chosen = _month_of(request.POST.get("period") or request.GET.get("period"), months)
    period = chosen or default_period(target.plan.year, on)
    previous = selectors.latest_report(target, period) if period else None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, target=target, months=months, previous=previous)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_submit(
                    actor=user, target=target, period=data["period"], value=data.get("value"),
                    percent=data.get("percent"), narrative=data["narrative"], problems=data["problems"],
                    next_steps=data["next_steps"], files=data["attachments"],
                    keep_attachments=data["keep_attachments"],
                    based_on_version=data["based_on_version"] if data["based_on_version"] is not None else 0,
                )
            except ConflictError as exc:
                conflict = exc.message
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已提交%(month)s进度报告（第%(v)s版），等待督查室审核。")
                    % {"month": month_label(report.period), "v": report.version},
                )
                return redirect("plans:target_detail", pk=target.pk)
    else:
        key = f"{period:%Y-%m}" if period else ""
        initial = {"period": key, "based_on_version": versions.get(key, {}).get("version", 0)}
        if previous is not None:  # a correction starts from the version it corrects
            initial.update(ReportForm.initial_from(previous))
        form = ReportForm(target=target, months=months, previous=previous, initial=initial)
    context = {"target": target, "form": form, "versions": versions, "conflict": conflict, "months": months,
               "previous": previous}
    return render(request, "plans/report_form.html", context)


def _month_of(text: str | None, months: list) -> object | None:
    """The month of a 'YYYY-MM' among the months one may report for, else None."""
    return next((m for m in months if f"{m:%Y-%m}" == (text or "").strip()), None)


@login_required
def review_queue(request):
    user = request.user
    require_ability(user, "plans.review_reports")
    reports = selectors.pending_reviews(user).prefetch_related("attachments")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.attach_version_changes(list(page))  # a correction shows what it changed
    context = {"page": page, "table": ReviewQueueTable(rows), "form": ReviewForm()}
    return render(request, "plans/review_queue.html", context)


@login_required
@require_POST
def report_review(request, pk: int, outcome: str):
    user = request.user
    require_ability(user, "plans.review_reports")
    queryset = ProgressReport.objects.visible_to(user).select_related(
        "target__plan", "target__lead_unit", "target__section", "submitted_by"
    ).prefetch_related("attachments")
    report = get_object_or_404(queryset, pk=pk)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    error = None
    try:
        if outcome == "accept":
            services.report_accept(actor=user, report=report, comment=comment)
        else:
            services.report_return(actor=user, report=report, comment=comment)
    except ApplicationError as exc:
        error = exc.message
    if is_partial(request):
        report = queryset.get(pk=pk)
        # The nav badge follows the queue without a reload (out-of-band swap).
        return render(request, "plans/_review_row.html", {
            "table": ReviewQueueTable(selectors.attach_version_changes([report])), "form": form, "error": error,
            "oob_count": selectors.pending_review_count(user),
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已采纳该报告。") if outcome == "accept" else _("已退回该报告。"))
    return redirect("plans:review_queue")


CARD_SIZE = 20  # rows in each of the unit page's cards; each names its whole count


def _due_unfiled(led, on):
    """The led targets whose report for the month due now (by their plan's year) is not filed,
    in any version: one condition per plan year, evaluated in the database."""
    due = Q(pk__in=[])
    for year in led.order_by().values_list("plan__year", flat=True).distinct():
        period = default_period(year, on)
        if period:
            filed = ProgressReport.objects.filter(target=OuterRef("pk"), period=period)
            due |= Q(plan__year=year) & ~Exists(filed)
    return led.filter(due)


@login_required
def my_unit(request):
    user = request.user
    if not user.can("plans.report_progress"):
        return _to_current_plan(user)
    on = clock.today()
    # The stored lights (plans.stored), brought up to date before the rows are read.
    units = user.units_for("plans.report_progress")
    assisted = Target.objects.filter(units.q("cooperating_units")).values("pk")
    stored.ensure_fresh(Target.objects.filter(Q(pk__in=Target.objects.reportable_by(user).values("pk"))
                                              | Q(pk__in=assisted, plan__status=Plan.Status.ACTIVE)), on)
    led = (Target.objects.reportable_by(user).select_related("plan", "section", "lead_unit")
           .defer("plan__source_text", "as_written").order_by("plan", "section__order", "order", "id"))
    # Every list here is counted, sorted and cut in the database: a unit may lead thousands.
    # The led targets' table: filtered (a status, or due this month and not filed), sorted and
    # paginated (a page past the end is the last page, an unknown sort the plan's order).
    status = _status_param(request)
    due_only = request.GET.get("due") == "1"
    returned_only = request.GET.get("returned") == "1"
    shown = _due_unfiled(led, on) if due_only else led
    if returned_only:  # the targets whose current report was returned: each needs a new version
        shown = shown.filter(Exists(ProgressReport.objects.filter(target=OuterRef("pk")).current()
                                    .filter(review=ProgressReport.Review.RETURNED)))
    shown = sorted_targets(shown.filter(status=status) if status else shown, request.GET.get("sort") or "")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    due = _due_unfiled(led, on)
    pending = list(due[:CARD_SIZE])
    # The targets the unit works on with another unit in the lead: shown, reported by the lead unit.
    assisting_qs = (
        Target.objects.alive().filter(plan__status=Plan.Status.ACTIVE)
        .filter(pk__in=assisted)
        .exclude(pk__in=led.values("pk")).select_related("plan", "section", "lead_unit")
        .defer("plan__source_text", "as_written")
        .order_by("plan", "section__order", "order", "id")
    )
    assisting_page = Paginator(assisting_qs, PAGE_SIZE).get_page(request.GET.get("assisting_page"))
    assisting = list(assisting_page)
    returned_qs = (
        ProgressReport.objects.filter(target__in=led.values("pk"))
        .current()
        .filter(review=ProgressReport.Review.RETURNED)
        .select_related("target", "reviewed_by")
        .order_by("-reviewed_at")
    )
    returned = list(returned_qs[:CARD_SIZE])
    warned_qs = sorted_targets(led.filter(status__in=[lights.Status.RED, lights.Status.YELLOW]), "status")
    warned = list(warned_qs[:CARD_SIZE])
    evaluations = selectors.stored_evaluations([*page, *assisting, *warned])
    context = {
        "units": user.unit_names(),  # every unit the user reports for, not only the home unit
        "targets": [{"target": t, "ev": evaluations[t.pk]} for t in page],
        "page": page, "status": status, "due_only": due_only, "returned_only": returned_only,
        "sort": request.GET.get("sort") or "",
        "status_choices": STATUS_CHOICES,
        "assisting": [{"target": t, "ev": evaluations[t.pk]} for t in assisting],
        "assisting_page": assisting_page,
        "pending": [{"target": t, "period": default_period(t.plan.year, on)} for t in pending],
        "pending_count": _count(pending, due, CARD_SIZE),
        "returned": returned,
        "returned_count": _count(returned, returned_qs, CARD_SIZE),
        "warned": [{"target": t, "ev": evaluations[t.pk]} for t in warned],
        "warned_count": _count(warned, warned_qs, CARD_SIZE),
        "card_size": CARD_SIZE,
        # Last year's plan may still be open beside this year's: then each row names its plan.
        "several_plans": len({*led.order_by().values_list("plan", flat=True).distinct(), *(t.plan_id for t in assisting)}) > 1,
        "today": on,
    }
    return render(request, "plans/my_unit.html", context)


def _count(shown: list, qs, size: int) -> int:
    """The whole count of a list cut at `size`: no query when the cut kept everything."""
    return len(shown) if len(shown) < size else qs.order_by().count()


# ---------------------------------------------------------------- draft review


def _review_targets(user):
    return Target.objects.visible_to(user).select_related("plan", "section", "lead_unit").defer("plan__source_text").prefetch_related(
        "cooperating_units"
    )


@login_required
def plan_review(request, pk: int):
    user = request.user
    plan = get_object_or_404(Plan.objects.visible_to(user), pk=pk)
    require_ability(user, "plans.edit_plan")
    sections = list(plan.sections.all())
    measures = list(Measure.objects.filter(section__plan=plan))
    targets = list(_review_targets(user).filter(plan=plan))
    by_measure: dict[int | None, list] = defaultdict(list)
    loose: dict[int, list] = defaultdict(list)
    for t in targets:
        if t.measure_id:
            by_measure[t.measure_id].append(t)
        else:
            loose[t.section_id].append(t)
    measures_of: dict[int, list] = defaultdict(list)
    for m in measures:
        measures_of[m.section_id].append({"measure": m, "targets": by_measure.get(m.pk, [])})
    tree = [
        {"section": s, "measures": measures_of.get(s.pk, []), "loose": loose.get(s.pk, []),
         "count": len(loose.get(s.pk, [])) + sum(len(m["targets"]) for m in measures_of.get(s.pk, []))}
        for s in sections
    ]
    context = {
        "plan": plan,
        "tree": tree,
        "blocks": plan_text_blocks(plan, sections, targets),
        "editable": plan.status == Plan.Status.DRAFT,
        # The org tree as a picker: each unit indented under its parent.
        "unit_options": [(u, "\u3000" * depth + u.name) for u, depth in unit_tree()],
        "target_count": len(targets),
        "missing_lead": sum(1 for t in targets if t.lead_unit_id is None),
        "unmapped": selectors.unmapped_unit_names(targets),
        "can_keep_alias": user.can("org.manage_aliases"),
        "can_create_unit": user.can("org.manage_users"),
        "unit_kinds": OrgUnit.Kind.choices,
    }
    return render(request, "plans/plan_review.html", context)


@login_required
@require_POST
def plan_map_unit(request, pk: int):
    """Map a unit name as written to a unit (or a new unit, or nothing) on every target carrying it."""
    user = request.user
    plan = _draft_to_edit(request, pk)
    form = UnitMappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    else:
        data = form.cleaned_data
        try:
            result = services.plan_map_unit_name(actor=user, plan=plan, **form.service_args())
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            done = f"对应为“{result['unit'].name}”" if result["unit"] else "已忽略（不对应任何单位）"
            alias = "，并保留为该单位的别名" if data["keep_alias"] and result["unit"] else ""
            messages.success(request, f"单位名称“{result['name']}”{done}，涉及{result['targets']}个目标{alias}。")
    return redirect(reverse("plans:plan_review", args=[plan.pk]) + "#unit-names")


def _lead_count(plan: Plan) -> dict:
    """The review page's counts, sent again (out of band) with a changed card (one query)."""
    counts = plan.targets.alive().aggregate(target_count=Count("pk"),
                                            missing_lead=Count("pk", filter=Q(lead_unit__isnull=True)))
    return counts


def _draft_target(user, pk: int) -> Target:
    """A target the review page edits: the user may edit plans (else 403), it is in the user's scope
    (else 404), and its plan is still a draft."""
    require_ability(user, "plans.edit_plan")
    target = get_object_or_404(_review_targets(user), pk=pk)
    _draft_only(target.plan)
    return target


def _card(request, target: Target, **extra):
    context = {"t": target, "editable": target.plan.status == Plan.Status.DRAFT, **extra}
    return render(request, "plans/_review_target.html", context)


@login_required
def target_card(request, pk: int):
    user = request.user
    require_ability(user, "plans.edit_plan")
    return _card(request, get_object_or_404(_review_targets(user), pk=pk))


@login_required
def target_edit(request, pk: int):
    user = request.user
    target = _draft_target(user, pk)
    conflict = None
    auto_id = f"t{target.pk}_%s"  # several cards may be open at once
    if request.method == "POST":
        form = TargetForm(request.POST, auto_id=auto_id)
        form.fields["expected_version"].required = True
        if form.is_valid():
            try:
                services.target_update(
                    actor=user, target=target, data=form.service_data(),
                    expected_version=form.cleaned_data["expected_version"],
                )
            except ConflictError as exc:
                conflict = exc.message
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                return _card(request, _review_targets(user).get(pk=pk), saved=True, lead_count=_lead_count(target.plan))
    else:
        form = TargetForm(initial=TargetForm.initial_for(target), auto_id=auto_id)
    return render(request, "plans/_target_form.html", {"t": target, "form": form, "conflict": conflict})


@login_required
@require_POST
def target_delete(request, pk: int):
    user = request.user
    target = _draft_target(user, pk)
    try:
        services.target_delete(actor=user, target=target, expected_version=parse_id(request.POST.get("expected_version")))
    except ApplicationError as exc:
        if is_partial(request):
            return _card(request, _review_targets(user).get(pk=pk), error=exc.message)
        messages.error(request, exc.message)
    else:
        if is_partial(request):  # the card disappears; the counts follow
            return render(request, "plans/_lead_count.html", {"oob": True, **_lead_count(target.plan)})
        messages.success(request, _("已删除目标“%s”（记录保留在修改历史中）。") % target.title[:40])
    return redirect("plans:plan_review", pk=target.plan_id)


@login_required
def target_create(request, pk: int, section_pk: int):
    user = request.user
    plan = _draft_to_edit(request, pk)
    section = get_object_or_404(plan.sections, pk=section_pk)
    auto_id = f"s{section.pk}_%s"
    if request.method == "POST":
        form = TargetForm(request.POST, auto_id=auto_id)
        if form.is_valid():
            data = {**form.service_data(), "section": section}
            try:
                created = services.target_create(actor=user, plan=plan, data=data)
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                context = {"t": _review_targets(user).get(pk=created.pk), "editable": True, "section": section,
                           "plan": plan, "saved": True, "lead_count": _lead_count(plan)}
                return render(request, "plans/_target_created.html", context)
    elif request.GET.get("cancel"):
        return render(request, "plans/_target_add_button.html", {"plan": plan, "section": section})
    else:
        form = TargetForm(initial={"kind": Target.Kind.QUANTITY, "weight": "1"}, auto_id=auto_id)
    return render(request, "plans/_target_form.html", {"form": form, "plan": plan, "section": section})


@login_required
@require_POST
def plan_bulk(request, pk: int):
    """Merge the selected targets, or give them one lead unit. Each checkbox carries 'id:version'."""
    user = request.user
    plan = _draft_to_edit(request, pk)
    back = redirect("plans:plan_review", pk=plan.pk)
    picked: dict[int, int] = {}
    for raw in request.POST.getlist("pick"):
        pk_text, _sep, version_text = raw.partition(":")
        if parse_id(pk_text) is not None:
            picked[parse_id(pk_text)] = parse_id(version_text)
    action = request.POST.get("action")
    if not picked:
        messages.error(request, _("请先勾选目标。"))
        return back
    try:
        if action == "merge":
            targets = list(Target.objects.visible_to(user).filter(plan=plan, pk__in=picked).select_related("plan"))
            stale = [t for t in targets if picked[t.pk] is not None and picked[t.pk] != t.version]
            if stale:
                raise ConflictError(_("所选目标中有%(n)s个已被他人修改（如“%(title)s”），请刷新页面后重新选择。")
                                    % {"n": len(stale), "title": stale[0].title[:30]})
            with transaction.atomic():
                merged = services.target_merge(actor=user, targets=targets)
            notice = _("已将%(n)s个目标合并为“%(title)s”。") % {"n": len(targets), "title": merged.title[:40]}
        elif action == "assign":
            given = {key: request.POST.get(key, "").strip() for key in ("lead_unit", "deadline", "points")}
            if given["lead_unit"]:
                given["lead_unit"] = parse_id(given["lead_unit"]) or given["lead_unit"]
            assigned = services.target_bulk_assign(actor=user, plan=plan, versions=picked, **given)
            first = assigned[0]
            what = "、".join(part for key, part in (
                ("lead_unit", f"指定牵头单位“{first.lead_unit.name if first.lead_unit else ''}”"),
                ("deadline", f"设置完成期限{first.deadline:%Y-%m-%d}" if first.deadline else ""),
                ("points", f"设置分值{num(first.points)}"),
            ) if given[key])
            notice = _("已为%(n)s个目标%(what)s。") % {"n": len(assigned), "what": what}
        else:
            raise ApplicationError(_("未知的操作。"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, notice)
    return back


# ---------------------------------------------------------------- 目标调整 (adjustments of an active plan)


def _visible_adjustments(user):
    return TargetAdjustment.objects.visible_to(user).select_related(
        "plan", "target", "lead_unit", "requested_by", "decided_by")


@login_required
def adjustment_create(request, pk: int):
    """Ask to change, cancel or split a target of an active plan (its lead unit or the office)."""
    target = get_object_or_404(Target.objects.visible_to(request.user).select_related("plan", "section", "lead_unit"),
                               pk=pk)
    if not adjustments.may_request(request.user, target):
        raise PermissionDenied(_("只有目标的牵头单位或督查室可以申请调整该目标。"))
    form = AdjustmentForm(request.POST or None, request.FILES or None, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = adjustments.adjustment_request(
                actor=request.user, target=target, kind=data["kind"], reason=data["reason"], basis=data["basis"],
                document=data["document"], changes=form.proposal(target), parts=form.parts(),
                expected_version=data.get("expected_version"),
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("调整申请已提交，待审批后生效。"))
            return redirect("plans:adjustment_detail", pk=adjustment.pk)
    return render(request, "plans/adjustment_form.html", {"target": target, "plan": target.plan, "form": form},
                  status=400 if form.errors else 200)


@login_required
def adjustment_list(request, pk: int):
    """A plan's adjustments, newest first; the pending ones on top for whoever decides them."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    rows = _visible_adjustments(request.user).filter(plan=plan)
    status = request.GET.get("status", "")
    if status in TargetAdjustment.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-requested_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "plans/adjustment_list.html", {
        "plan": plan, "page": page, "status": status, "statuses": TargetAdjustment.Status.choices,
    })


@login_required
def adjustment_detail(request, pk: int):
    adjustment = get_object_or_404(_visible_adjustments(request.user), pk=pk)
    return render(request, "plans/adjustment_detail.html", {
        "adjustment": adjustment, "plan": adjustment.plan, "proposal": selectors.adjustment_rows(adjustment),
        "events": list(adjustment.events.select_related("actor")),
        "may_decide": adjustment.status == "pending" and adjustments.may_decide(request.user, adjustment),
        "may_withdraw": adjustment.status == "pending" and adjustments.may_withdraw(request.user, adjustment),
        "form": AdjustmentDecisionForm(initial={"expected_version": adjustment.version}),
    })


@login_required
@require_POST
def adjustment_decide(request, pk: int, action: str):
    adjustment = get_object_or_404(_visible_adjustments(request.user), pk=pk)
    form = AdjustmentDecisionForm(request.POST)
    form.is_valid()
    try:
        adjustments.adjustment_decide(actor=request.user, adjustment=adjustment, action=action,
                                      comment=form.cleaned_data.get("comment") or "",
                                      expected_version=form.cleaned_data.get("expected_version"))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        done = {"approve": _("已批准，调整已生效。"), "refuse": _("已不同意该调整。"), "withdraw": _("已撤回调整申请。")}
        messages.success(request, done[action])
    return redirect("plans:adjustment_detail", pk=adjustment.pk)


@login_required
def adjustment_document(request, pk: int):
    adjustment = get_object_or_404(TargetAdjustment.objects.visible_to(request.user), pk=pk)
    return file_download(adjustment.document, adjustment.document_name)
