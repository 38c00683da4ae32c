"""Pages of the clean-up register: the case list (filters, export), the candidate list (criteria met,
confirm or dismiss with a reason, export) and one case (disposal details, steps with late ones red,
lifecycle buttons, timeline, history). Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import require_ability, save_form
from yuanqu.core.pagination import Paginator
from yuanqu.core.registerlist import RegisterList
from yuanqu.core.steppage import step_view
from yuanqu.core.xlsx import xlsx_response

from . import selectors, services
from .forms import ActForm, DecideForm, DisposalForm, StepAddForm, StepDoneForm
from .models import Case, CaseStep, Category, Method, State
from .tables import CandidateTable, CaseTable

PAGE_SIZE = 50
DENIED = "只有经发局、生态环境部门、领导、督查室和案件的责任单位可以查看企业清理。"
CANDIDATES_DENIED = "只有经发局、生态环境部门、领导和督查室可以查看候选名单。"


def _reader(user) -> None:
    if not any(user.can(a) for a in ("cleanup.read_all", "cleanup.handle")):
        require_ability(user, "cleanup.read_all", DENIED)


CASES = RegisterList(
    check=_reader, find=selectors.filter_cases, table=CaseTable, sheet="企业清理案件",
    template="cleanup/case_list.html", partial="cleanup/_case_table.html",
    context=lambda request, found: {"states": State.choices, "categories": Category.choices,
                                    "methods": Method.choices, "units": selectors.unit_choices(request.user)})
case_list, case_export = CASES.page, CASES.export


def _candidate_reader(user) -> None:
    if not user.can("cleanup.manage"):
        require_ability(user, "cleanup.read_all", CANDIDATES_DENIED)


def _candidate_page(request, params, *, error: str = "", status: int = 200):
    on = clock.today()
    filters = selectors.parse_candidate_filters(params, on)
    rows = selectors.candidates(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return render(request, "cleanup/candidate_list.html", {
        "page": page, "table": CandidateTable(list(page)), "filters": filters, "categories": Category.choices,
        "can_manage": services.may_manage(request.user), "total": len(rows), "error": error,
        "back": params.urlencode(), "criteria": selectors.rules(filters.category)}, status=status)


@login_required
def candidate_list(request):
    _candidate_reader(request.user)
    return _candidate_page(request, request.GET)


@login_required
def candidate_export(request):
    _candidate_reader(request.user)
    on = clock.today()
    filters = selectors.parse_candidate_filters(request.GET, on)
    note = f"导出日期：{on:%Y-%m-%d}；" + "，".join(filters.labels())
    rows = selectors.candidates(request.user, filters)
    return xlsx_response("企业清理候选名单.xlsx", CandidateTable(rows).sheet("候选名单", note))


@login_required
@require_POST
def candidate_decide(request):
    """认定 or 排除 one candidate; a refusal shows the list again with the message (400)."""
    require_ability(request.user, "cleanup.manage", "只有经发局和生态环境部门可以认定和排除候选企业。")
    form = DecideForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    back = QueryDict(request.POST.get("back", ""))
    try:
        case = services.case_decide(actor=request.user, enterprise=data.get("enterprise"),
                                    category=data.get("category", ""), year=data.get("year"),
                                    decision=data.get("decision", ""), reason=data.get("reason", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        return _candidate_page(request, back, error=exc.message, status=400)
    messages.success(request, f"已{'认定' if case.state == State.CONFIRMED else '排除'}：{case}。")
    return redirect(reverse("cleanup:candidates") + (f"?{back.urlencode()}" if back else ""))


def _case_or_404(user, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(user).select_related(
        "enterprise", "unit", "parcel", "decided_by", "revitalisation"), pk=pk)


def _detail(request, case: Case, *, form=None, step_form=None, error: str = "", status: int = 200):
    on = clock.today()
    can_manage = services.may_manage(request.user)
    editable = case.state in (State.CONFIRMED, State.DISPOSING)
    steps = selectors.case_steps(case)
    allowed = services.allowed_actions(request.user, case)
    return render(request, "cleanup/case_detail.html", {
        "case": case, "steps": [(s, s.is_late(on)) for s in steps], "events": selectors.case_timeline(case),
        "buttons": [t for t in services.CASE_FLOW if t.action in allowed],
        "form": (form or DisposalForm(initial=DisposalForm.initial_for(case), case=case))
        if can_manage and editable else None,
        "step_form": (step_form or StepAddForm()) if can_manage and editable else None,
        "can_handle": editable and services.may_handle(request.user, case), "today": on, "error": error,
        "history": describe_changes(history_for(case), Case)}, status=status)


@login_required
def case_detail(request, pk: int):
    _reader(request.user)
    case = _case_or_404(request.user, pk)
    if request.method != "POST":
        return _detail(request, case)
    if not services.may_manage(request.user):
        raise PermissionDenied("只有经发局和生态环境部门可以修改处置信息。")
    form = DisposalForm(request.POST, case=case)
    if save_form(request, form, lambda data, version: services.case_update(
            actor=request.user, case=case, data=data, expected_version=version), "处置信息已保存。"):
        return redirect("cleanup:case", pk=pk)
    return _detail(request, case, form=form, status=400)


@login_required
@require_POST
def step_add(request, pk: int):
    case = _case_or_404(request.user, pk)
    if not services.may_manage(request.user):
        raise PermissionDenied("只有经发局和生态环境部门可以安排处置步骤。")
    form = StepAddForm(request.POST)
    if save_form(request, form, lambda data, _v: services.step_add(actor=request.user, case=case, data=data),
                 "处置步骤已添加。"):
        return redirect("cleanup:case", pk=pk)
    return _detail(request, case, step_form=form, status=400)


@login_required
@require_POST
def step_done(request, pk: int, step: int):
    case = _case_or_404(request.user, pk)
    item = get_object_or_404(CaseStep.objects.filter(case=case), pk=step)
    form = StepDoneForm(request.POST)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
    try:
        services.step_update(actor=request.user, step=item, data=data,
                             expected_version=form.cleaned_data.get("expected_version"))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        return _detail(request, case, error=exc.message, status=400)
    messages.success(request, "步骤已更新。")
    return redirect("cleanup:case", pk=pk)


case_act = step_view(record=_case_or_404, flow=services.CASE_FLOW, form=ActForm, target="case",
                     run=services.case_step, page=_detail, done="cleanup:case")
