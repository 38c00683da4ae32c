"""Pages of the approvals register: scenarios against the reform target (with the month-by-month
trend), one scenario with its slowest cases, the case list (and its export), a case with its
clocks explained, the catalogue and the post-approval inspections. Reads through selectors,
writes through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from yuanqu.core import clock
from yuanqu.core.pages import require_ability, save_form
from yuanqu.core.pagination import Paginator
from yuanqu.core.registerlist import RegisterList
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import InspectionForm
from .models import Case, Inspection, Scenario, ServiceItem
from .tables import CaseTable

PAGE_SIZE = 50


def _reader(user) -> None:
    if not (user.can("approvals.read_all") or user.can("approvals.read_unit")):
        require_ability(user, "approvals.read_all", "只有领导、督查室、行政审批局和办理单位可以查看办件。")


@login_required
def scenarios(request):
    _reader(request.user)
    on = clock.today()
    bundle = selectors.current_bundle(request.user, request.GET, on)
    rows = selectors.bundle_figures(request.user, bundle, on) if bundle else []
    context = {"bundle": bundle, "bundles": selectors.bundles(request.user), "rows": rows, "on": on,
               "chart": selectors.chart_data(rows), "can_edit": services.may_edit(request.user)}
    return render(request, "approvals/scenarios.html", context)


@login_required
def scenario_detail(request, pk: int):
    _reader(request.user)
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user).select_related("bundle"), pk=pk)
    on = clock.today()
    row = next(r for r in selectors.bundle_figures(request.user, scenario.bundle, on) if r.scenario.pk == pk)
    context = {"scenario": scenario, "row": row, "on": on, "chart": selectors.chart_data([row]),
               "slowest": selectors.slowest(request.user, scenario, on), "items": list(scenario.items.all())}
    return render(request, "approvals/scenario_detail.html", context)


def _case_choices(request, found) -> dict:
    user = request.user
    return {
        "states": selectors.CASE_STATES,
        "items": ServiceItem.objects.visible_to(user).only("pk", "code", "name"),
        "scenarios": Scenario.objects.visible_to(user).select_related("bundle"),
        "units": OrgUnit.objects.filter(is_active=True).only("pk", "name") if user.can("approvals.read_all")
        else user.scope_units().units().filter(is_active=True).only("pk", "name"),
        "can_import": services.may_edit(user),
    }


CASES = RegisterList(
    check=_reader, find=lambda user, params, on: selectors.filter_cases(user, params), table=CaseTable,
    sheet="办件", template="approvals/case_list.html", partial="approvals/_case_table.html", context=_case_choices)
case_list, case_export = CASES.page, CASES.export


@login_required
def case_detail(request, pk: int):
    _reader(request.user)
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("item", "handling_unit"), pk=pk)
    context = {
        "case": case, "suspensions": list(case.suspensions.all()),
        "clocks": selectors.case_clocks(case, clock.today()),
        "inspection": Inspection.objects.filter(case=case).first(),
        "history": selectors.case_history(case),
    }
    return render(request, "approvals/case_detail.html", context)


@login_required
def item_list(request):
    _reader(request.user)
    items = ServiceItem.objects.visible_to(request.user).order_by("code")
    return render(request, "approvals/item_list.html",
                  {"items": items, "can_import": services.may_edit(request.user)})


@login_required
def inspection_list(request):
    _reader(request.user)
    qs = selectors.inspections(request.user, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "approvals/inspection_list.html", {
        "page": page, "outcomes": Inspection.Outcome.choices, "outcome": request.GET.get("outcome", ""),
        "today": clock.today(), "can_edit": services.may_edit(request.user)})


@login_required
def inspection_form(request, pk: int):
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).select_related("case", "case__item"),
                                   pk=pk)
    require_ability(request.user, "approvals.edit", "只有行政审批局的审批人员可以登记审后核查结果。")
    form = InspectionForm(request.POST or None, initial=InspectionForm.initial_for(inspection))
    if request.method == "POST" and save_form(request, form, lambda data, version: services.inspection_record(
            actor=request.user, inspection=inspection, data=data, expected_version=version), "审后核查结果已保存。"):
        return redirect("approvals:case", pk=inspection.case_id)
    return render(request, "approvals/inspection_form.html", {"form": form, "inspection": inspection})
