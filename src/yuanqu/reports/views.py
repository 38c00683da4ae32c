"""Pages of the reports app: the bulletin list, generation and downloads; the .xlsx exports of
the list pages (targets, 督办单, the 督办 inbox, the review queue, an assessment run's ranking).

Every export starts from the same scoped queryset (and the same filter function) as its page, and
refuses whoever the page refuses, with the same 403 or 404.

Bulletins are the 督查室's instrument for leaders: 督查室, leaders and administrators read them,
督查室 and administrators make them; a department's reporter gets 403 (their own figures are on
the target pages and in the export, which is scoped to their unit).
"""

from __future__ import annotations

import dataclasses
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow

from yuanqu.assessment import selectors as assessment_selectors
from yuanqu.assessment.models import Run, RunLine
from yuanqu.assessment.tables import RankingTable, ScoreLineTable
from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.models import Job
from yuanqu.core.pages import require_ability
from yuanqu.core.pagination import Paginator
from yuanqu.core.xlsx import content_disposition, xlsx_file_response, xlsx_response
from yuanqu.org.models import OrgUnit
from yuanqu.plans.filters import filtered_target_queryset
from yuanqu.plans.selectors import pending_reviews, target_facts
from yuanqu.plans.tables import ReviewQueueTable, TargetTable
from yuanqu.supervision.filters import filter_items
from yuanqu.supervision.models import SupervisionItem
from yuanqu.supervision.tables import ItemTable

from . import services
from .forms import BulletinEditForm, BulletinGenerateForm, bulletin_plans
from .models import Bulletin

PAGE_SIZE = 50


def _bulletin_readers_only(user) -> None:
    if not user.can("reports.read_bulletins"):
        raise PermissionDenied(_("督查通报仅供督查室、领导和系统管理员查阅。"))


@login_required
def bulletin_list(request):
    user = request.user
    _bulletin_readers_only(user)
    plans = list(bulletin_plans(user).only("id", "year", "title", "status"))
    qs = Bulletin.objects.visible_to(user).select_related("plan", "created_by").defer("plan__source_text")
    plan_id = request.GET.get("plan")
    selected = next((p for p in plans if str(p.pk) == plan_id), None)
    if selected is not None:
        qs = qs.filter(plan=selected)
    page = Paginator(qs.order_by("-plan__year", "-month", "-version", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    seen, rows = set(), []
    for bulletin in page:
        key = (bulletin.plan_id, bulletin.month)
        # Ordered newest version first: the first row of each month is its latest version.
        rows.append({"bulletin": bulletin, "latest": key not in seen, "summary": bulletin.summary or {}})
        seen.add(key)
    context = {
        "rows": rows, "page": page, "plans": plans, "selected": selected,
        "can_generate": services.can_generate_bulletins(user),
    }
    return render(request, "reports/bulletin_list.html", context)


@login_required
def bulletin_generate(request):
    user = request.user
    if not services.can_generate_bulletins(user):
        raise PermissionDenied(_("只有督查室或系统管理员可以生成督查通报。"))
    today = clock.today()
    form = BulletinGenerateForm(request.POST or None, user=user, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.bulletin_request(
                actor=user, plan=form.cleaned_data["plan"], month=form.month_date(), today=today
            )
        except ApplicationError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            if isinstance(made, Job):  # a large plan: the worker makes it, its page shows how far
                return redirect("jobs:job", pk=made.pk)
            messages.success(request, services.generated_message(made))
            return redirect("reports:bulletin_edit", pk=made.pk)
    return render(request, "reports/bulletin_generate.html", {"form": form})


WORDING = ("issuer", "main_to", "cc", "signer", "overview", "requirements")


@login_required
def bulletin_edit(request, pk: int):
    """A draft's wording, saved or saved and issued; an issued version shows why it cannot change."""
    user = request.user
    if not services.can_generate_bulletins(user):
        raise PermissionDenied(_("只有督查室或系统管理员可以修改和印发督查通报。"))
    bulletin = get_object_or_404(Bulletin.objects.visible_to(user).select_related("plan", "issued_by"), pk=pk)
    initial = {name: getattr(bulletin, name) for name in WORDING}
    form = BulletinEditForm(request.POST or None, initial={**initial, "revision": bulletin.revision})
    if request.method == "POST" and form.is_valid():
        issue = request.POST.get("action") == "issue"
        changes = {name: form.cleaned_data[name] for name in WORDING}
        try:
            bulletin = services.bulletin_edit(actor=user, bulletin=bulletin, changes=changes, issue=issue,
                                              expected_revision=form.cleaned_data["revision"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            done = _("已印发%(label)s。") if issue else _("已保存%(label)s的修改。")
            messages.success(request, done % {"label": str(bulletin)})
            if issue:
                return redirect(f"{reverse('reports:bulletin_list')}?plan={bulletin.plan_id}")
            return redirect("reports:bulletin_edit", pk=bulletin.pk)
    return render(request, "reports/bulletin_edit.html", {"form": form, "bulletin": bulletin})


@login_required
def bulletin_download(request, pk: int):
    user = request.user
    _bulletin_readers_only(user)
    bulletin = get_object_or_404(Bulletin.objects.visible_to(user), pk=pk)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if bulletin.is_draft:
        # A draft is rendered from its frozen figures and current wording each time (never stored).
        response = HttpResponse(services.draft_content(bulletin), content_type=docx)
    else:
        try:
            handle = bulletin.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("通报文件已不存在，请重新生成。")) from None
        response = FileResponse(handle, content_type=docx)
    response["Content-Disposition"] = content_disposition(
        bulletin.download_name,
        fallback=f"bulletin-{bulletin.month:%Y-%m}-v{bulletin.version}{'-draft' if bulletin.is_draft else ''}.docx",
    )
    return response


# ---------------------------------------------------------------- exports


EXPORT_CHUNK = 500  # targets read, and their facts computed, at a time


def _target_rows(table: TargetTable, targets, on):
    """The export's rows, read from the database EXPORT_CHUNK targets at a time (an iterator, not
    a list): each chunk's facts (latest figure, ledger counts, metric) are computed for it alone, so
    memory stays flat however big the plan."""
    rows = targets.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK)):
        table.facts = target_facts(chunk, on)
        for target in chunk:
            yield BoundRow(target, table=table)


@login_required
def export_targets(request):
    """The target list as .xlsx, with the list page's filters, sort and the user's scope; the rows
    stream from the database in chunks into a temporary file (constant memory at 10,000 rows)."""
    user = request.user
    on = clock.today()
    filters, targets = filtered_target_queryset(user, request.GET, on)
    scope = (
        "范围：全部目标" if user.can("plans.read_all")
        else f"范围：{user.unit_names()}及下属单位牵头或配合的目标"
    )
    note = "；".join([*(filters.labels or ["计划：无"]), scope, f"状态按{on:%Y-%m-%d}计算", f"共{targets.count()}项"])
    stamp = f"{filters.plan.year}年-" if filters.plan else ""
    table = TargetTable([], facts={}, today=on)
    sheet = dataclasses.replace(table.sheet("目标清单", note), rows=_target_rows(table, targets, on))
    return xlsx_file_response(f"目标清单-{stamp}{on:%Y%m%d}.xlsx", sheet)


# ---------------------------------------------------------------- 督查督办


def _with_assisting(qs):
    return qs.prefetch_related(Prefetch("assisting_units", queryset=OrgUnit.objects.only("id", "name")))


@login_required
def export_supervision(request):
    """The 督办单 list as .xlsx: every page of it, with the list's filters and the user's scope."""
    user = request.user
    on = clock.today()
    filters, qs = filter_items(user, request.GET, on)
    items = list(_with_assisting(qs))
    scope = "范围：全部督办单" if user.can("supervision.read_all") else f"范围：{user.unit_names()}及下属单位牵头或协办的督办单"
    note = "；".join([*filters.labels(), scope, f"逾期按{on:%Y-%m-%d}计算", f"共{len(items)}件"])
    return xlsx_response(f"督办单-{on:%Y%m%d}.xlsx", ItemTable(items, on=on).sheet("督办单", note))


@login_required
def export_supervision_inbox(request):
    """The inbox as .xlsx: every open (not yet 办结) item the user's inbox is about — for a unit's
    reporter the items their unit (or a unit under it) leads, for the others every visible item.
    The inbox page shows only the first items of each block; the export has them all."""
    user = request.user
    on = clock.today()
    # Whoever reads every item (a leader who also reports for a unit included) gets them all.
    if user.can("supervision.read_all"):
        qs = SupervisionItem.objects.visible_to(user)
        scope = "范围：全部未办结督办单"
    elif user.can("supervision.handle_item"):
        qs = SupervisionItem.objects.handled_by(user)
        scope = f"范围：{user.unit_names()}及下属单位牵头的未办结督办单"
    else:
        qs, scope = SupervisionItem.objects.none(), "范围：无（账号未关联单位）"
    items = list(_with_assisting(qs.open().select_related("lead_unit").order_by("deadline", "pk")))
    note = "；".join([scope, f"逾期按{on:%Y-%m-%d}计算", f"共{len(items)}件"])
    return xlsx_response(f"督办待办-{on:%Y%m%d}.xlsx", ItemTable(items, on=on).sheet("督办待办", note))


# ---------------------------------------------------------------- review queue


@login_required
def export_review_queue(request):
    """The review queue (pending current versions, oldest first) as .xlsx; 督查室 and administrators."""
    user = request.user
    require_ability(user, "plans.review_reports")
    reports = list(pending_reviews(user))  # the page's queryset, without its pagination
    on = clock.today()
    note = f"待审核的最新版本报告，按提交时间先后排列；共{len(reports)}份"
    return xlsx_response(f"审核队列-{on:%Y%m%d}.xlsx", ReviewQueueTable(reports).sheet("审核队列", note))


# ---------------------------------------------------------------- assessment


@login_required
def export_assessment_run(request, pk: int):
    """A run's ranking and every line of each unit's score, as the user may see them: 督查室, leaders
    and administrators every unit of every run; a reporter their unit's results once published
    (the same checks as assessment.views.run_detail: 404 otherwise)."""
    user = request.user
    run = get_object_or_404(Run.objects.visible_to(user).select_related("scheme").defer("snapshot"), pk=pk)
    results = list(assessment_selectors.run_results(run, user))
    if not user.can("assessment.read_all") and not results:
        raise Http404
    lines_by_result: dict[int, list[RunLine]] = {r.pk: [] for r in results}
    for line in RunLine.objects.filter(result_id__in=list(lines_by_result)).order_by("result_id", "order", "id"):
        lines_by_result[line.result_id].append(line)
    lines = []
    for result in results:
        for line in lines_by_result[result.pk]:
            line.result = result  # the detail sheet names each line's unit and rank
            lines.append(line)
    scheme = run.scheme
    scope = "范围：全部参评单位" if user.can("assessment.read_all") else f"范围：{user.unit_names()}及下属单位"
    note = "；".join([
        f"{scheme.name} 第{run.number}版", f"考核截止日{run.on:%Y-%m-%d}", f"状态：{run.get_status_display()}", scope,
    ])
    return xlsx_response(
        f"考核结果-{scheme.year}年-第{run.number}版.xlsx",
        RankingTable(results).sheet("考核排名", f"{note}；共{len(results)}个单位"),
        ScoreLineTable(lines).sheet("得分明细", note),
    )
