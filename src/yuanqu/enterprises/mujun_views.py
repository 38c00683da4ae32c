"""Pages of the 亩均效益 evaluation: schemes and runs, a run (class counts, results by class and
pool, the lifecycle buttons, the per-class export with its policies), a scheme (its JSON, edited
by the 经发局, copied for a new year) and one enterprise's explanation."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import StyledForm, apply_service_error, file_download, require_ability
from yuanqu.core.pagination import Paginator
from yuanqu.core.xlsx import Column, Sheet, xlsx_response

from . import mujun_selectors as selectors
from . import mujun_services as services
from .models import MujunPolicy, MujunRun, MujunScheme
from .tables import MujunResultTable

PAGE_SIZE = 100
READERS = "只有领导、督查室和经发局可以查看亩均评价。"


def _reader(user) -> None:
    require_ability(user, "enterprises.read", READERS)


@login_required
def home(request):
    _reader(request.user)
    return render(request, "enterprises/mujun/home.html", {
        "schemes": selectors.schemes(request.user), "runs": selectors.runs(request.user)[:50],
        "can_run": services.may_run(request.user)})


class SchemeForm(StyledForm):
    definition = forms.CharField(label="方案内容（JSON）", widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}))
    sources = forms.CharField(label="数据项对应的企业指标（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="如 {\"主要污染物排放量\": \"pollutants\"}；与企业指标同名的数据项不必填写")

    def clean_sources(self):
        text = self.cleaned_data["sources"].strip()
        try:
            return json.loads(text) if text else {}
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列 {exc.msg}") from None


class AdjustmentForm(StyledForm):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    item = forms.ChoiceField(label="加减分项")
    count = forms.DecimalField(label="次数", initial=1, max_digits=8, decimal_places=2)
    reference = forms.CharField(label="依据（文号或说明）", max_length=200, required=False,
                                help_text="如 高新技术企业证书 GR202533000123、安监罚〔2025〕12号")
    file = forms.FileField(label="佐证附件", required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(a["key"], f"{a['label']}（{'加' if a['kind'] == 'bonus' else '扣'}"
                                                 f"{a['points']:g}分/次）") for a in items]


class CopyForm(StyledForm):
    year = forms.IntegerField(label="新方案年度", min_value=1990, max_value=2100)
    name = forms.CharField(label="新方案名称", max_length=120)
    jurisdiction = forms.CharField(label="地区", max_length=60, required=False)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@login_required
def scheme_detail(request, pk: int):
    _reader(request.user)
    scheme = get_object_or_404(selectors.schemes(request.user), pk=pk)
    form = SchemeForm(request.POST if request.POST.get("form") == "edit" else None, initial={
        "definition": _dumps(scheme.definition), "sources": _dumps(scheme.sources), "expected_version": scheme.version})
    copy = CopyForm(request.POST if request.POST.get("form") == "copy" else None, initial={
        "year": scheme.year + 1, "jurisdiction": scheme.jurisdiction, "name": scheme.name})
    adjust = AdjustmentForm(request.POST if request.POST.get("form") == "adjust" else None,
                            request.FILES or None, items=scheme.definition.get("adjustments", []))
    if request.method == "POST":
        require_ability(request.user, "enterprises.mujun_run", "只有经发局企业管理员或系统管理员可以维护评价方案。")
        try:
            if adjust.is_bound and adjust.is_valid():
                services.adjustment_create(actor=request.user, scheme=scheme, **adjust.service_data())
                messages.success(request, "已登记加减分；重新计算草稿评价或新建评价后计入得分。")
                return redirect("enterprises:mujun_scheme", pk=scheme.pk)
            if form.is_bound and form.is_valid():
                services.scheme_update(actor=request.user, scheme=scheme, definition=form.cleaned_data["definition"],
                                       sources=form.cleaned_data["sources"],
                                       expected_version=form.cleaned_data.get("expected_version"))
                messages.success(request, "评价方案已保存为新版本。")
                return redirect("enterprises:mujun_scheme", pk=scheme.pk)
            if copy.is_bound and copy.is_valid():
                definition = {**scheme.definition, **copy.service_data()}
                made = services.scheme_create(actor=request.user, definition=definition, sources=scheme.sources)
                messages.success(request, "已复制为新方案。")
                return redirect("enterprises:mujun_scheme", pk=made.pk)
        except ApplicationError as exc:
            apply_service_error(next(f for f in (form, copy, adjust) if f.is_bound), exc)
    return render(request, "enterprises/mujun/scheme.html", {
        "scheme": scheme, "form": form, "copy": copy, "adjust": adjust, "can_run": services.may_run(request.user),
        "entries": selectors.adjustment_entries(request.user, scheme),
        "runs": selectors.runs(request.user).filter(scheme=scheme),
        "history": describe_changes(history_for(scheme).select_related("actor"), MujunScheme)})


@login_required
@require_POST
def run_create(request):
    require_ability(request.user, "enterprises.mujun_run", "只有经发局企业管理员或系统管理员可以运行亩均评价。")
    scheme = get_object_or_404(selectors.schemes(request.user), pk=request.POST.get("scheme") or 0)
    try:
        run = services.run_create(actor=request.user, scheme=scheme)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("enterprises:mujun")
    messages.success(request, f"已完成评价：{len(run.snapshot['id'])} 家企业。")
    return redirect("enterprises:mujun_run", pk=run.pk)


@login_required
def run_detail(request, pk: int):
    _reader(request.user)
    run = selectors.run_for(request.user, pk)
    filters = selectors.parse_result_filters(run, request.GET)
    page = Paginator(selectors.run_results(run, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    draft, signed = run.status == MujunRun.Status.DRAFT, run.status == MujunRun.Status.SIGNED
    actions = [(name, label, style) for name, label, style, allowed in (
        ("rerun", "重新计算", "outline-primary", draft and services.may_run(user)),
        ("sign", "签核", "success", draft and services.may_sign(user)),
        ("return", "退回草稿", "outline-secondary", signed and (services.may_run(user) or services.may_sign(user))),
        ("publish", "发布", "primary", signed and services.may_run(user)),
    ) if allowed]
    return render(request, "enterprises/mujun/run.html", {
        "run": run, "filters": filters, "page": page, "counts": selectors.class_counts(run),
        "table": MujunResultTable(list(page), run=run), "actions": actions,
        "movement": selectors.movement_matrix(run),
        "policies": selectors.policies_by_class(run.class_keys)})


ACTIONS = {"rerun": (services.run_rerun, "已重新计算。"), "sign": (services.run_sign_off, "已签核。"),
           "return": (services.run_return, "已退回草稿。"), "publish": (services.run_publish, "已发布，结果已锁定。")}


@login_required
@require_POST
def run_action(request, pk: int, action: str):
    _reader(request.user)
    if action not in ACTIONS:
        raise Http404
    run = selectors.run_for(request.user, pk)
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, run=run, expected_version=request.POST.get("version") or None)
    except ApplicationError as exc:  # a refusal (rights, state, lock) is shown, not a 500
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("enterprises:mujun_run", pk=run.pk)


def policy_sheet(policies: dict[str, list[MujunPolicy]]) -> Sheet:
    rows = [p for key in sorted(policies) for p in policies[key]]
    return Sheet("差别化政策", [Column("类别", "class_key", 8), Column("政策类型", lambda p: p.get_kind_display(), 10),
                           Column("政策内容", "text", 60), Column("执行部门", "office", 16)], rows)


@login_required
def run_export(request, pk: int):
    _reader(request.user)
    run = selectors.run_for(request.user, pk)
    filters = selectors.parse_result_filters(run, request.GET)
    keys = [filters.class_key] if filters.class_key else run.class_keys
    policies = selectors.policies_by_class(keys)
    table = MujunResultTable(list(selectors.run_results(run, filters)), run=run, policies=policies)
    note = (f"{run.scheme.name}（{run.year}年，{run.get_status_display()}）；导出日期：{clock.today():%Y-%m-%d}"
            + ("；筛选：" + "，".join(filters.labels()) if filters.labels() else ""))
    title = f"{filters.class_key}类企业" if filters.class_key else "评价结果"
    return xlsx_response(f"亩均评价-{run.year}-{title}.xlsx", table.sheet(title, note), policy_sheet(policies))


@login_required
def result_detail(request, pk: int):
    result = selectors.result_for(request.user, pk)
    return render(request, "enterprises/mujun/result.html", {
        "result": result, "run": result.run, "policies": selectors.policies_by_class([result.class_key]).get(
            result.class_key, []), "can_read_runs": selectors.may_read_runs(request.user)})


@login_required
@require_POST
def adjustment_delete(request, pk: int):
    require_ability(request.user, "enterprises.mujun_run", "只有经发局企业管理员或系统管理员可以维护评价方案。")
    entry = selectors.adjustment_for(request.user, pk)
    try:
        services.adjustment_delete(actor=request.user, entry=entry)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除加减分记录（保留修改记录）。")
    return redirect("enterprises:mujun_scheme", pk=entry.scheme_id)


@login_required
def adjustment_evidence(request, pk: int):
    """An entry's evidence file, for whoever may read the entry (its enterprise's readers)."""
    entry = selectors.adjustment_for(request.user, pk)
    if not entry.file:
        raise Http404
    return file_download(entry.file, entry.file_name)
