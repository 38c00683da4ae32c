"""Pages of the reports app: the bulletin list, generation and downloads; the .xlsx exports of
the list pages (targets, 督办单, the 督办 inbox, the review queue, an assessment run's ranking).

Every export starts from the same scoped queryset (and the same filter function) as its page, and
refuses whoever the page refuses, with the same 403 or 404.

Bulletins are the 督查室's instrument for leaders: 督查室, leaders and administrators read them,
督查室 and administrators make them; a department's reporter gets 403 (their own figures are on
the target pages and in the export, which is scoped to their unit).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.assessment import selectors as assessment_selectors
from yuanqu.assessment.models import Run, RunLine
from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.pages import require_ability
from yuanqu.org.models import OrgUnit
from yuanqu.plans.display import figure_display, report_figure
from yuanqu.plans.filters import filtered_targets_with_facts
from yuanqu.plans.models import Target
from yuanqu.plans.selectors import pending_reviews
from yuanqu.supervision.filters import filter_items
from yuanqu.supervision.models import State, SupervisionItem

from . import services
from .forms import BulletinGenerateForm, bulletin_plans
from .models import Bulletin
from .xlsx import Column, Sheet, content_disposition, xlsx_response, xlsx_sheets_response

PAGE_SIZE = 50


def _bulletin_readers_only(user) -> None:
    if not user.can("reports.read_bulletins"):
        raise PermissionDenied(_("督查通报仅供督查室、领导和系统管理员查阅。"))


@login_required
def bulletin_list(request):
    user = request.user
    _bulletin_readers_only(user)
    plans = list(bulletin_plans(user).only("id", "year", "title", "status"))
    qs = Bulletin.objects.visible_to(user).select_related("plan", "created_by")
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
            bulletin = services.bulletin_generate(
                actor=user, plan=form.cleaned_data["plan"], month=form.month_date(), today=today
            )
        except ApplicationError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.success(
                request, _("已生成%(label)s，%(issue)s第%(version)s版。")
                % {"label": str(bulletin), "issue": bulletin.issue_label, "version": bulletin.version},
            )
            return redirect(f"{reverse('reports:bulletin_list')}?plan={bulletin.plan_id}")
    return render(request, "reports/bulletin_generate.html", {"form": form})


@login_required
def bulletin_download(request, pk: int):
    user = request.user
    _bulletin_readers_only(user)
    bulletin = get_object_or_404(Bulletin.objects.visible_to(user), pk=pk)
    try:
        handle = bulletin.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("通报文件已不存在，请重新生成。")) from None
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition(
        bulletin.download_name, fallback=f"bulletin-{bulletin.month:%Y-%m}-v{bulletin.version}.docx"
    )
    return response


# ---------------------------------------------------------------- exports


def _pct_fraction(value: float | None) -> float | None:
    return None if value is None else round(value / 100.0, 4)


@login_required
def export_targets(request):
    """The target list as .xlsx, with the list page's filters and the user's scope."""
    user = request.user
    on = clock.today()
    filters, targets, facts = filtered_targets_with_facts(user, request.GET, on)
    columns = [
        Column("章节", lambda t: f"{t.section.no}、{t.section.title}", width=24),
        Column("目标", "title", width=48),
        Column("指标", "indicator", width=20),
        Column("目标值", lambda t: t.target_display(), width=14),
        Column("牵头单位", lambda t: t.lead_unit.name if t.lead_unit_id else "", width=16),
        Column("配合单位", lambda t: "、".join(u.name for u in t.cooperating_units.all()), width=22),
        Column("完成期限", lambda t: t.period_end, width=12, number_format="yyyy-mm-dd"),
        Column("最新采纳值", lambda t: _figure_cell(t, facts[t.pk]), width=14),
        Column("完成度", lambda t: _pct_fraction(facts[t.pk].evaluation.completion), width=10,
               number_format="0.0%"),
        Column("序时进度", lambda t: _pct_fraction(facts[t.pk].evaluation.schedule), width=10,
               number_format="0.0%"),
        Column("状态", lambda t: facts[t.pk].status.label, width=8),
    ]
    scope = (
        "范围：全部目标" if user.can("plans.read_all")
        else f"范围：{user.unit_names()}及下属单位牵头或配合的目标"
    )
    note = "；".join([*(filters.labels or ["计划：无"]), scope, f"状态按{on:%Y-%m-%d}计算", f"共{len(targets)}项"])
    stamp = f"{filters.plan.year}年-" if filters.plan else ""
    return xlsx_response(f"目标清单-{stamp}{on:%Y%m%d}.xlsx", "目标清单", columns, targets, filters_note=note)


def _figure_cell(target, facts):
    """A number when the figure is one (so Excel can sum it), else the text shown on the page."""
    report = facts.report
    if target.metric and facts.metric_value is not None:
        return float(facts.metric_value)
    if not target.metric and target.kind != Target.Kind.LEDGER and report is not None and report.value is not None:
        return float(report.value)
    text = figure_display(target, facts)
    return "" if text == "—" else text



# ---------------------------------------------------------------- 督查督办


def _overdue_days(item: SupervisionItem, on: dt.date) -> int | None:
    """Days past the deadline: until `on` while open, until the closing day once closed late."""
    end = on if item.state != State.CLOSED else item.closed_on
    days = (end - item.deadline).days if end else 0
    return days if days > 0 else None


def _overdue_label(item: SupervisionItem, on: dt.date) -> str:
    # The list page's wording: "逾期N天" while open, "逾期办结" once closed after the deadline.
    if _overdue_days(item, on) is None:
        return "否"
    return "是" if item.state != State.CLOSED else "逾期办结"


def _supervision_columns(on: dt.date) -> list[Column]:
    return [
        Column("编号", "number", width=16),
        Column("标题", "title", width=40),
        Column("来源", lambda i: i.get_source_kind_display(), width=12),
        Column("牵头单位", "lead_unit.name", width=16),
        Column("协办单位", lambda i: "、".join(u.name for u in i.assisting_units.all()), width=22),
        Column("要求", "requirement", width=40),
        Column("办理期限", "deadline", width=12, number_format="yyyy-mm-dd"),
        Column("状态", lambda i: i.get_state_display(), width=10),
        Column("催办次数", "urge_count", width=10),
        Column("是否逾期", lambda i: _overdue_label(i, on), width=10),
        Column("逾期天数", lambda i: _overdue_days(i, on), width=10),
    ]


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
    return xlsx_response(f"督办单-{on:%Y%m%d}.xlsx", "督办单", _supervision_columns(on), items, filters_note=note)


@login_required
def export_supervision_inbox(request):
    """The inbox as .xlsx: every open (not yet 办结) item the user's inbox is about — for a unit's
    reporter the items their unit (or a unit under it) leads, for the others every visible item.
    The inbox page shows only the first items of each block; the export has them all."""
    user = request.user
    on = clock.today()
    if user.can("supervision.handle_item"):
        qs = SupervisionItem.objects.handled_by(user)
        scope = f"范围：{user.unit_names()}及下属单位牵头的未办结督办单"
    elif user.can("supervision.read_all"):
        qs = SupervisionItem.objects.visible_to(user)
        scope = "范围：全部未办结督办单"
    else:
        qs, scope = SupervisionItem.objects.none(), "范围：无（账号未关联单位）"
    items = list(_with_assisting(qs.open().select_related("lead_unit").order_by("deadline", "pk")))
    note = "；".join([scope, f"逾期按{on:%Y-%m-%d}计算", f"共{len(items)}件"])
    return xlsx_response(f"督办待办-{on:%Y%m%d}.xlsx", "督办待办", _supervision_columns(on), items, filters_note=note)


# ---------------------------------------------------------------- review queue


@login_required
def export_review_queue(request):
    """The review queue (pending current versions, oldest first) as .xlsx; 督查室 and administrators."""
    user = request.user
    require_ability(user, "plans.review_reports")
    reports = list(pending_reviews(user))  # the page's queryset, without its pagination
    columns = [
        Column("目标", "target.title", width=44),
        Column("牵头单位", lambda r: r.target.lead_unit.name if r.target.lead_unit_id else "", width=16),
        Column("月份", "period", width=10, number_format='yyyy"年"m"月"'),
        Column("版本", "version", width=6),
        Column("完成值/进度", lambda r: _blank_dash(report_figure(r, r.target)), width=14),
        Column("目标值", lambda r: _blank_dash(r.target.target_display()), width=14),
        Column("工作进展", "narrative", width=50),
        Column("存在问题", "problems", width=30),
        Column("填报人", lambda r: str(r.submitted_by), width=12),
        Column("填报时间", "submitted_at", width=17, number_format="yyyy-mm-dd hh:mm"),
    ]
    on = clock.today()
    note = f"待审核的最新版本报告，按提交时间先后排列；共{len(reports)}份"
    return xlsx_response(f"审核队列-{on:%Y%m%d}.xlsx", "审核队列", columns, reports, filters_note=note)


def _blank_dash(text: str) -> str:
    return "" if text == "—" else text


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
    lines = [(r, line) for r in results for line in lines_by_result[r.pk]]

    score = "0.00"
    ranking = [
        Column("排名", "rank", width=6),
        Column("单位", "unit_name", width=20),
        Column("得分", "total", width=10, number_format=score),
        Column("等次", "grade", width=10),
        Column("一票否决", "vetoed", width=10),
        Column("指标得分", "indicator", width=10, number_format=score),
        Column("加分", "bonus", width=8, number_format=score),
        Column("扣分", "deduction", width=8, number_format=score),
        Column("标记", lambda r: "、".join(r.flag_labels()), width=24),
    ]
    detail = [
        Column("排名", lambda rl: rl[0].rank, width=6),
        Column("单位", lambda rl: rl[0].unit_name, width=20),
        Column("组", lambda rl: rl[1].group, width=14),
        Column("事项", lambda rl: rl[1].description, width=44),
        Column("原始值", lambda rl: rl[1].raw, width=14),
        Column("分值", lambda rl: rl[1].points, width=8, number_format=score),
        Column("说明", lambda rl: rl[1].explanation, width=60),
    ]
    scheme = run.scheme
    scope = "范围：全部参评单位" if user.can("assessment.read_all") else f"范围：{user.unit_names()}及下属单位"
    note = "；".join([
        f"{scheme.name} 第{run.number}版", f"考核截止日{run.on:%Y-%m-%d}", f"状态：{run.get_status_display()}", scope,
    ])
    return xlsx_sheets_response(f"考核结果-{scheme.year}年-第{run.number}版.xlsx", [
        Sheet("考核排名", ranking, results, filters_note=f"{note}；共{len(results)}个单位"),
        Sheet("得分明细", detail, lines, filters_note=note),
    ])
