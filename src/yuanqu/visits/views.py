"""Pages of the visits register: visits (list, form, one visit with its requests), requests (list
with filters and export, one request with its timeline and the steps the user may take) and the
per-unit statistics. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from yuanqu.core import clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import form_page, require_ability, save_form
from yuanqu.core.registerlist import RegisterList
from yuanqu.core.steppage import record_view, step_buttons, step_view
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import RequestForm, StepForm, VisitForm
from .models import EnterpriseRequest, RequestCategory, State, Visit
from .tables import RequestTable, VisitTable

DENIED = "只有经发局、领导、督查室、走帮服干部和承办单位可以查看走帮服。"

# The buttons of the request page: the inputs each step shows, and its style.
STEP_INPUTS = {
    "accept": ("", "primary"), "handle": ("comment", "primary"), "reply": ("comment", "primary"),
    "evaluate": ("satisfaction", "success"), "close": ("comment", "success"), "return": ("comment", "warning"),
    "reassign": ("unit", "secondary"), "raise": ("deadline", "danger"),
}


def _reader(user) -> None:
    if not any(user.can(a) for a in ("visits.read_all", "visits.record", "visits.handle")):
        require_ability(user, "visits.read_all", DENIED)


VISITS = RegisterList(
    check=_reader, find=selectors.filter_visits, table=VisitTable, sheet="走访记录", template="visits/visit_list.html",
    # The export's note names the search as "；搜索：“…”" (not "；筛选：…"); the box shows what was typed.
    note=lambda found, rows: f"导出日期：{found.on:%Y-%m-%d}" + (f"；搜索：“{found.filters.q}”" if found.filters.q else ""),
    context=lambda request, found: {"q": request.GET.get("q", ""), "can_record": services.may_record(request.user)})
visit_list, visit_export = VISITS.page, VISITS.export


@login_required
def visit_form(request, pk: int | None = None):
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=pk) if pk else None
    if visit is None:
        require_ability(request.user, "visits.record", "只有走帮服干部和经发局可以登记走访。")
        initial = {"visited_on": clock.today(), "unit": request.user.unit_id,
                   "visitors": request.user.get_full_name() or request.user.username}
    else:
        if not services.may_edit_visit(request.user, visit):
            require_ability(request.user, "visits.manage", "只能修改本人登记的走访记录。")
        initial = VisitForm.initial_for(visit)
    form = VisitForm(request.POST or None, initial=initial)

    def save(data, version):
        if visit is None:
            return services.visit_create(actor=request.user, data=data)
        return services.visit_update(actor=request.user, visit=visit, data=data, expected_version=version)

    return form_page(request, form, save, "走访记录已保存。", then="visits:visit", template="visits/visit_form.html",
                     context={"visit": visit})


@login_required
def visit_detail(request, pk: int):
    _reader(request.user)
    visit = get_object_or_404(Visit.objects.visible_to(request.user).select_related("enterprise", "unit",
                                                                                     "recorded_by"), pk=pk)
    may_raise = services.may_record(request.user) and services.may_edit_visit(request.user, visit)
    form = RequestForm(request.POST or None) if may_raise else None
    if request.method == "POST":
        if form is None:
            require_ability(request.user, "visits.manage", "只能在本人登记的走访中提出诉求。")
        if save_form(request, form, lambda data, _v: services.request_create(
                actor=request.user, data={**data, "visit": visit}), "诉求已登记，已交承办单位受理。"):
            return redirect("visits:visit", pk=visit.pk)
    on = clock.today()
    requests = EnterpriseRequest.objects.visible_to(request.user).filter(visit=visit).select_related(
        "category", "assigned_unit", "enterprise")
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "form": form, "table": RequestTable(list(requests), on=on),
        "can_edit": services.may_edit_visit(request.user, visit),
        "history": describe_changes(history_for(visit), Visit)})


REQUESTS = RegisterList(
    check=_reader, find=selectors.filter_requests, table=RequestTable, table_on="on", sheet="企业诉求",
    template="visits/request_list.html", partial="visits/_request_table.html",
    context=lambda request, found: {"states": State.choices, "categories": RequestCategory.objects.all(),
                                    "units": selectors.unit_choices(request.user)})
request_list, request_export = REQUESTS.page, REQUESTS.export


def _request_or_404(user, pk: int) -> EnterpriseRequest:
    return get_object_or_404(EnterpriseRequest.objects.visible_to(user).select_related(
        "enterprise", "category", "assigned_unit", "visit", "created_by", "supervision_item"), pk=pk)


def _detail(request, item: EnterpriseRequest, *, error: str = "", status: int = 200):
    allowed = services.allowed_actions(request.user, item)
    buttons = step_buttons(services.REQUEST_FLOW, allowed, STEP_INPUTS)
    units = OrgUnit.objects.filter(is_active=True).exclude(pk=item.assigned_unit_id).only("pk", "name") \
        if "reassign" in allowed else []
    return render(request, "visits/request_detail.html", {
        "item": item, "events": selectors.request_timeline(item), "buttons": buttons, "units": units,
        "overdue": item.is_overdue(clock.today()), "error": error, "today": clock.today(),
    }, status=status)


request_detail = record_view(check=_reader, record=_request_or_404, page=_detail)
request_act = step_view(record=_request_or_404, flow=services.REQUEST_FLOW, form=StepForm, target="request",
                        run=services.request_step, page=_detail, done="visits:request")


@login_required
def unit_stats(request):
    _reader(request.user)
    on = clock.today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else on.year
    return render(request, "visits/stats.html", {
        "rows": selectors.unit_figures(request.user, on, year=year), "year": year, "on": on,
        "min_sample": selectors.min_sample()})
