"""Pages of the inspections register: hazards (list with filters and export, one hazard with its
timeline and the steps the user may take), inspections (list, export, form, one inspection with
its hazards), the 回头看 due, and the pollution works with their stages. Reads through selectors,
writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.pages import announce, file_download, form_page, require_ability, save_form
from yuanqu.core.registerlist import RegisterList
from yuanqu.core.steppage import record_view, step_buttons, step_view

from . import selectors, services
from .forms import (
    HazardForm,
    InspectionEditForm,
    InspectionForm,
    RevisitForm,
    StageDoneForm,
    StepForm,
    WorkForm,
)
from .models import Domain, Hazard, Inspection, Level, Revisit, StageEvidence, State, WorkStage
from .tables import HazardTable, InspectionTable, RevisitTable

DENIED = "只有检查单位、隐患责任单位、领导和督查室可以查看检查整改。"
READERS = ("inspections.read_all", "inspections.inspect", "inspections.rectify")

# The buttons of the hazard page: the input each step shows, and its style.
STEP_INPUTS = {
    "notify": ("deadline", "primary"), "report": ("comment", "primary"), "pass": ("comment", "success"),
    "fail": ("deadline", "warning"), "reopen": ("comment", "warning"), "raise": ("supervision_deadline", "danger"),
}


def _reader(user) -> None:
    if not any(user.can(a) for a in READERS):
        require_ability(user, "inspections.read_all", DENIED)


# ---------------------------------------------------------------- hazards


HAZARDS = RegisterList(
    check=_reader, find=selectors.filter_hazards, table=HazardTable, table_on="on", sheet="隐患整改",
    template="inspections/hazard_list.html", partial="inspections/_table.html",
    context=lambda request, found: {"states": State.choices, "levels": Level.choices, "domains": Domain.choices,
                                    "units": selectors.unit_choices(request.user)})
hazard_list, hazard_export = HAZARDS.page, HAZARDS.export


def _hazard_or_404(user, pk: int) -> Hazard:
    return get_object_or_404(Hazard.objects.visible_to(user).select_related(
        "inspection__enterprise", "inspection__village", "inspection__inspecting_unit", "responsible_unit",
        "supervision_item", "created_by"), pk=pk)


def _hazard_page(request, hazard: Hazard, *, error: str = "", status: int = 200):
    allowed = services.allowed_actions(request.user, hazard)
    buttons = step_buttons(services.HAZARD_FLOW, allowed, STEP_INPUTS)
    return render(request, "inspections/hazard_detail.html", {
        "item": hazard, "events": selectors.timeline(hazard), "buttons": buttons, "error": error,
        "overdue": hazard.is_overdue(clock.today()), "revisits": list(hazard.revisits.order_by("round")),
        "history": describe_changes(history_for(hazard), Hazard)}, status=status)


hazard_detail = record_view(check=_reader, record=_hazard_or_404, page=_hazard_page)
hazard_act = step_view(record=_hazard_or_404, flow=services.HAZARD_FLOW, form=StepForm, target="hazard",
                       run=services.hazard_step, page=_hazard_page, done="inspections:hazard")


# ---------------------------------------------------------------- inspections


INSPECTIONS = RegisterList(
    check=_reader, find=selectors.filter_inspections, table=InspectionTable, sheet="检查记录",
    template="inspections/inspection_list.html",
    # This export's note names the day only; the search box shows what was typed, as it was typed.
    note=lambda found, rows: f"导出日期：{found.on:%Y-%m-%d}",
    context=lambda request, found: {"q": request.GET.get("q", ""), "domain": found.filters.domain,
                                    "domains": Domain.choices, "can_inspect": services.may_inspect(request.user)})
inspection_list, inspection_export = INSPECTIONS.page, INSPECTIONS.export


@login_required
def inspection_form(request):
    require_ability(request.user, "inspections.inspect", "只有检查单位（应急、环保、城管等）的检查人员可以登记检查。")
    form = InspectionForm(request.POST or None, initial={
        "inspected_on": clock.today(), "inspecting_unit": request.user.unit_id,
        "inspectors": request.user.get_full_name() or request.user.username})
    return form_page(request, form, lambda data, _v: services.inspection_create(actor=request.user, data=data),
                     "检查已登记，可继续登记发现的隐患。", then="inspections:inspection",
                     template="inspections/inspection_form.html")


@login_required
def inspection_edit(request, pk: int):
    """Correct the place, day, inspectors or findings while a hazard it found is still open."""
    _reader(request.user)
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).select_related("inspecting_unit"), pk=pk)
    if not services.may_inspect(request.user, inspection.inspecting_unit_id):
        raise PermissionDenied("只能修改本单位的检查记录。")
    if services.inspection_closed(inspection):
        messages.error(request, "本次检查发现的隐患已全部销号，检查记录不能再修改。")
        return redirect("inspections:inspection", pk=pk)
    form = InspectionEditForm(request.POST or None, initial=InspectionEditForm.initial_for(inspection))
    return form_page(request, form, lambda data, version: services.inspection_update(
        actor=request.user, inspection=inspection, data=data, expected_version=version), "检查记录已修改。",
        then="inspections:inspection", template="inspections/inspection_form.html", context={"inspection": inspection})


@login_required
def inspection_detail(request, pk: int):
    _reader(request.user)
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).select_related(
        "enterprise", "village", "inspecting_unit", "template", "recorded_by"), pk=pk)
    may_add = services.may_inspect(request.user, inspection.inspecting_unit_id)
    form = HazardForm(request.POST or None) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有检查单位可以登记本次检查发现的隐患。")
        if save_form(request, form, lambda data, _v: services.hazard_create(
                actor=request.user, inspection=inspection, data=data), "隐患已登记，请下达整改通知。"):
            return redirect("inspections:inspection", pk=inspection.pk)
    on = clock.today()
    hazards = list(Hazard.objects.visible_to(request.user).filter(inspection=inspection).select_related(
        "inspection__enterprise", "inspection__village", "responsible_unit"))
    return render(request, "inspections/inspection_detail.html", {
        "inspection": inspection, "form": form, "table": HazardTable(hazards, on=on),
        # services.inspection_closed's rule, on the rows already read (the inspector sees them all).
        "may_edit": may_add and not (hazards and all(h.state == State.CLOSED for h in hazards)),
        "history": describe_changes(history_for(inspection), Inspection)})


# ---------------------------------------------------------------- revisits


@login_required
def revisit_list(request):
    _reader(request.user)
    on = clock.today()
    rows = list(selectors.revisits_due(request.user, on))
    return render(request, "inspections/revisit_list.html", {
        "table": RevisitTable(rows), "rows": rows, "on": on,
        "inspects": services.may_inspect(request.user)})


@login_required
@require_POST
def revisit_record(request, pk: int):
    revisit = get_object_or_404(Revisit.objects.visible_to(request.user).select_related("hazard"), pk=pk)
    form = RevisitForm(request.POST)
    form.is_valid()
    try:
        services.revisit_record(actor=request.user, revisit=revisit, result=form.cleaned_data.get("result", ""),
                                note=form.cleaned_data.get("note", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:hazard", pk=revisit.hazard_id)
    messages.success(request, "回头看已登记。")
    return redirect("inspections:hazard", pk=revisit.hazard_id)


# ---------------------------------------------------------------- works


@login_required
def work_list(request):
    _reader(request.user)
    on = clock.today()
    return render(request, "inspections/work_list.html", {"works": selectors.works(request.user, on), "on": on,
                                                         "can_add": services.may_inspect(request.user)})


@login_required
def work_form(request):
    require_ability(request.user, "inspections.inspect", "只有检查单位（环保等）和系统管理员可以登记治理工程。")
    form = WorkForm(request.POST or None, initial={"started_on": clock.today()})
    return form_page(request, form, lambda data, _v: services.work_create(actor=request.user, data=data),
                     "治理工程已登记，阶段按工程类别生成，可逐项调整计划日期。", then="inspections:work",
                     template="inspections/work_form.html")


@login_required
def work_detail(request, pk: int):
    _reader(request.user)
    work = selectors.work_detail(request.user, pk)
    if work is None:
        raise Http404
    on = clock.today()
    stages = list(work.stages.all())
    for stage in stages:
        stage.late = stage.is_late(on)
    done = sum(1 for s in stages if s.done_on)
    return render(request, "inspections/work_detail.html", {
        "work": work, "stages": stages, "on": on, "progress": round(100 * done / len(stages)) if stages else 0,
        "can_keep": services.may_keep_work(request.user, work),
        "history": describe_changes(history_for(work))})


@login_required
@require_POST
def stage_done(request, pk: int):
    stage = get_object_or_404(WorkStage.objects.visible_to(request.user).select_related("work"), pk=pk)
    form = StageDoneForm(request.POST)
    form.is_valid()
    announce(request, lambda: services.stage_complete(
        actor=request.user, stage=stage, done_on=form.cleaned_data.get("done_on"),
        note=form.cleaned_data.get("note", ""), files=request.FILES.getlist("files"),
        expected_version=form.cleaned_data.get("expected_version")),
        f"阶段“{stage.name}”已登记完成。", denied_is_403=True)
    return redirect("inspections:work", pk=stage.work_id)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(StageEvidence.objects.visible_to(request.user), pk=pk)
    return file_download(evidence.file, evidence.name)
