"""Pages of the reports app: the bulletin list, generation and downloads; the target export.

Bulletins are the 督查室's instrument for leaders: 督查室, leaders and administrators read them,
督查室 and administrators make them; a department's reporter gets 403 (their own figures are on
the target pages and in the export, which is scoped to their unit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.core.errors import ApplicationError
from yuanqu.plans.filters import filtered_targets_with_facts
from yuanqu.plans.models import Target

from . import services
from .facts import figure_display
from .forms import BulletinGenerateForm, bulletin_plans
from .models import Bulletin
from .xlsx import Column, content_disposition, xlsx_response

PAGE_SIZE = 50


def _bulletin_readers_only(user) -> None:
    if not user.reads_all:
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
    if not user.manages_plans:
        raise PermissionDenied(_("只有督查室或系统管理员可以生成督查通报。"))
    today = timezone.localdate()
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
    on = timezone.localdate()
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
        "范围：全部目标" if user.reads_all
        else f"范围：{user.unit.name if user.unit_id else '（未设置单位）'}及下属单位牵头或配合的目标"
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

