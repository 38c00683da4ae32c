"""Pages of the disputes register: the case list (filters, export), registering and editing a case,
one case with its clocks, timeline and the steps the user may take. Reads through selectors, writes
through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from yuanqu.core import clock
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import form_page, require_ability
from yuanqu.core.registerlist import RegisterList
from yuanqu.core.steppage import record_view, step_buttons, step_view
from yuanqu.core.xlsx import xlsx_response
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import CaseForm, EditForm, StepForm
from .models import DisputeCase, DisputeType, Kind, State
from .tables import CaseTable, CommitteeFiguresTable, FiguresTable

DENIED = "只有信访调解办、领导、督查室和承办单位可以查看调解信访件。"

# The inputs each step's form shows (beyond the date), and its button style.
STEP_INPUTS = {
    "accept": ((), "primary"), "decline": (("comment",), "secondary"),
    "conclude": (("agreement", "comment"), "primary"), "follow_up": (("comment",), "success"),
    "extend": (("approver", "comment"), "warning"), "answer": (("comment",), "primary"),
    "request_review": ((), "secondary"), "review": (("comment",), "primary"),
    "request_rereview": ((), "secondary"), "rereview": (("comment",), "primary"),
    "close": (("comment",), "success"), "reassign": (("unit", "comment"), "secondary"),
    "raise": (("deadline", "comment"), "danger"),
}
COMMENT_LABELS = {"decline": "不予受理理由", "conclude": "调解情况", "follow_up": "回访情况", "extend": "延期理由",
                  "answer": "办理意见", "review": "复查意见", "rereview": "复核意见", "reassign": "改派理由",
                  "raise": "提请理由", "close": "说明"}


def _reader(user) -> None:
    if not any(user.can(a) for a in ("disputes.read_all", "disputes.handle")):
        require_ability(user, "disputes.read_all", DENIED)


CASES = RegisterList(
    check=_reader, find=selectors.filter_cases, table=CaseTable, table_on="on", sheet="调解信访件",
    template="disputes/case_list.html", partial="disputes/_case_table.html",
    context=lambda request, found: {
        "kinds": Kind.choices, "states": State.choices, "types": DisputeType.choices,
        "units": selectors.unit_choices(request.user), "can_manage": services.may_manage(request.user),
        "overview": selectors.overview(request.user, found.on)})
case_list, case_export = CASES.page, CASES.export


@login_required
def case_new(request):
    require_ability(request.user, "disputes.manage", "只有信访调解办和系统管理员可以登记调解和信访件。")
    form = CaseForm(request.POST or None, initial={"received_on": clock.today(), "kind": request.GET.get("kind")})
    return form_page(request, form, lambda data, _v: services.case_create(actor=request.user, data=data),
                     lambda case: f"{case.number}已登记，待承办单位受理。", then="disputes:case",
                     template="disputes/case_form.html", context={"case": None})


def _case_or_404(user, pk: int) -> DisputeCase:
    return get_object_or_404(DisputeCase.objects.visible_to(user).select_related(
        "assigned_unit", "created_by", "supervision_item"), pk=pk)


@login_required
def case_edit(request, pk: int):
    case = _case_or_404(request.user, pk)
    require_ability(request.user, "disputes.manage", "只有信访调解办和系统管理员可以修改调解和信访件。")
    form = EditForm(request.POST or None, initial=EditForm.initial_for(case))
    return form_page(request, form, lambda data, version: services.case_update(
        actor=request.user, case=case, data=data, expected_version=version), "已保存。",
        then="disputes:case", template="disputes/case_form.html", context={"case": case})


def _detail(request, case: DisputeCase, *, error: str = "", status: int = 200):
    allowed = services.allowed_actions(request.user, case)
    flow = services.flow_for(case)
    buttons = step_buttons(flow, allowed, STEP_INPUTS, key="inputs", comment_labels=COMMENT_LABELS)
    units = OrgUnit.objects.filter(is_active=True).exclude(pk=case.assigned_unit_id).only("pk", "name") \
        if "reassign" in allowed else []
    today = clock.today()
    return render(request, "disputes/case_detail.html", {
        "case": case, "clocks": case.clocks(today), "events": selectors.case_timeline(case), "buttons": buttons,
        "units": units, "error": error, "today": today, "can_manage": services.may_manage(request.user),
        "history": describe_changes(history_for(case), DisputeCase),
    }, status=status)


case_detail = record_view(check=_reader, record=_case_or_404, page=_detail)
case_act = step_view(record=_case_or_404, flow=services.flow_for, form=StepForm, target="case",
                     run=services.case_step, page=_detail, done="disputes:case")


def _stats_context(request) -> dict:
    on = clock.today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else on.year
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else ""
    units = selectors.unit_figures(request.user, on, year=year, kind=kind)
    committees = [] if kind == Kind.PETITION else selectors.committee_figures(request.user, on, year=year)
    return {"on": on, "year": year, "kind": kind, "units": FiguresTable(units),
            "committees": CommitteeFiguresTable(committees), "min_sample": selectors.min_sample()}


@login_required
def unit_stats(request):
    """Per handling unit and mediation committee: handled, on time, overdue, ranked past the minimum
    sample. Scoped: leaders and the office see every unit, a unit its own cases."""
    _reader(request.user)
    return render(request, "disputes/stats.html", {**_stats_context(request), "kinds": Kind.choices})


@login_required
def unit_stats_export(request):
    _reader(request.user)
    found = _stats_context(request)
    note = (f"导出日期：{found['on']:%Y-%m-%d}；收到年度：{found['year']}"
            + (f"；类型：{Kind(found['kind']).label}" if found["kind"] else "")
            + f"；已办理不少于{found['min_sample']}件才排名")
    sheets = [found["units"].sheet("承办单位", note)]
    if found["kind"] != Kind.PETITION:
        sheets.append(found["committees"].sheet("调解委员会", note))
    return xlsx_response(f"调解信访办理情况{found['year']}.xlsx", *sheets)
