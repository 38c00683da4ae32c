"""Pages of 重大项目. Every read starts from `visible_to(user)` (out of scope → 404); every write
calls a service and shows its ApplicationError on the form or as a message, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.history import describe_changes, history_for_many
from yuanqu.core.pages import announce, apply_service_error, file_download, form_page
from yuanqu.core.registerlist import RegisterList
from yuanqu.investment.models import Lead
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .filters import filter_projects
from .forms import (
    ConvertForm,
    PlanForm,
    ProblemForm,
    ProjectForm,
    RaiseForm,
    ReachForm,
    ReturnForm,
    SolveForm,
    planned_from,
)
from .models import GATES, AmountBand, Level, Problem, Project, ReturnPhoto, Stage, StageEvidence, band_for
from .tables import ProjectTable


def _readable(user) -> None:
    if not (user.can("projects.read_all") or user.can("projects.edit")):
        raise PermissionDenied(_("只有项目牵头单位、领导和督查室可以查看重大项目。"))


def _project_or_404(user, pk: int) -> Project:
    _readable(user)
    try:
        return selectors.project_detail(user, pk)
    except Project.DoesNotExist:
        raise Http404 from None


class ProjectList(RegisterList):
    template, partial, sheet = "projects/project_list.html", "projects/_project_table.html", "重大项目"

    def check(self, user):
        _readable(user)

    def find(self, user, params, on):
        return filter_projects(user, params, on)

    def context(self, request, found) -> dict:
        user = request.user
        units = OrgUnit.objects.filter(pk__in=Project.objects.visible_to(user).values("lead_unit")).only("id", "name")
        return {"units": units, "bands": list(AmountBand.objects.all()), "stage_choices": Stage.choices,
                "level_choices": Level.choices, "can_create": user.can("projects.edit")}

    def make_table(self, rows, found, *, page):
        return ProjectTable(selectors.annotate_rows(rows, found.on))

    def filename(self, found):
        return f"重大项目-{found.on:%Y%m%d}.xlsx"

    def note(self, found, rows):
        # The note names the scope and the count; the filters' labels read the page's own choices.
        user, choices = found.request.user, self.context(found.request, found)
        scope = "范围：全部重大项目" if user.can("projects.read_all") else f"范围：{user.unit_names()}及下属单位牵头的项目"
        labels = found.filters.labels(known={OrgUnit: choices["units"], AmountBand: choices["bands"]})
        return "；".join([*labels, scope, f"共{len(rows)}个"])


PROJECTS = ProjectList()
project_list, project_export = PROJECTS.page, PROJECTS.export


def _detail_context(request, project: Project, **forms) -> dict:
    user, on = request.user, clock.today()
    steps = selectors.steps_of(project, on)
    can_edit = services.may_edit(user, project)
    stages = services.next_stages(user, project) if can_edit else []
    problems = list(project.problems.select_related("category", "assigned_unit", "item"))
    returns = selectors.returns_of(project)
    records = history_for_many([project, *steps, *problems, *returns]).order_by("-time", "-id")[:80]
    return {
        "project": project,
        "steps": steps,
        "timeline": selectors.timeline(steps, on),
        "late_return": bool(selectors.late_return_ids([project], on)),
        "due_month": selectors.return_due_month(on),
        "returns": returns,
        "problems": problems,
        "events": list(project.events.select_related("actor")),
        "history": describe_changes(records),
        "can_edit": can_edit,
        "band": band_for(project.total_investment, AmountBand.objects.all()),
        "reach_form": forms.get("reach_form") or (ReachForm(stages=stages, initial={"actual_on": on})
                                                  if stages else None),
        "plan_form": forms.get("plan_form") or PlanForm(initial={f"planned_{s.stage}": s.planned_on for s in steps}),
        "return_form": forms.get("return_form") or ReturnForm(initial={"month": f"{on:%Y-%m}"}),
        "problem_form": forms.get("problem_form") or ProblemForm(initial={"assigned_unit": project.lead_unit_id}),
    }


@login_required
def project_detail(request, pk: int):
    project = _project_or_404(request.user, pk)
    return render(request, "projects/project_detail.html", _detail_context(request, project))


def _rerender(request, project: Project, **forms):
    project = _project_or_404(request.user, project.pk)
    return render(request, "projects/project_detail.html", _detail_context(request, project, **forms), status=400)


def _editable(request, pk: int) -> Project:
    project = _project_or_404(request.user, pk)
    if not services.may_edit(request.user, project):
        raise PermissionDenied(_("只有项目牵头单位可以修改该项目。"))
    return project


def _post_on_project(request, pk: int, form, name: str, save, done):
    """A form posted from the project's page: `save(project, cleaned_data)` calls the service; a
    refusal shows the page again with the form as `name` (400), else `done(cleaned_data)` is said
    and the project's page shown."""
    project = _editable(request, pk)
    form = form(request.POST)
    if form.is_valid():
        try:
            save(project, form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, done(form.cleaned_data))
            return redirect("projects:detail", pk=pk)
    return _rerender(request, project, **{name: form})


@login_required
@require_POST
def stage_reach(request, pk: int):
    return _post_on_project(
        request, pk, lambda post: ReachForm(post, stages=GATES), "reach_form",
        lambda project, data: services.stage_reach(
            actor=request.user, project=project, stage=data["stage"], actual_on=data["actual_on"],
            comment=data.get("comment") or "", files=request.FILES.getlist("files"),
            expected_version=data.get("version")),
        lambda data: _("已记录“%(stage)s”。") % {"stage": Stage(data["stage"]).label})


@login_required
@require_POST
def plan_update(request, pk: int):
    return _post_on_project(
        request, pk, PlanForm, "plan_form",
        lambda project, data: services.plan_update(actor=request.user, project=project, planned=planned_from(data)),
        lambda data: _("计划日期已保存。"))


@login_required
@require_POST
def return_add(request, pk: int):
    return _post_on_project(
        request, pk, ReturnForm, "return_form",
        lambda project, data: services.return_submit(actor=request.user, project=project, data=data,
                                                     photos=request.FILES.getlist("photos")),
        lambda data: _("月报已保存。"))


@login_required
@require_POST
def problem_add(request, pk: int):
    return _post_on_project(
        request, pk, ProblemForm, "problem_form",
        lambda project, data: services.problem_create(actor=request.user, project=project, data=data),
        lambda data: _("问题已登记。"))


def _problem_or_404(request, pk: int) -> Problem:
    _readable(request.user)
    return get_object_or_404(Problem.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def problem_solve(request, pk: int):
    problem = _problem_or_404(request, pk)
    form = SolveForm(request.POST)
    form.is_valid()
    announce(request, lambda: services.problem_solve(
        actor=request.user, problem=problem, solution=form.cleaned_data.get("solution") or "",
        expected_version=form.cleaned_data.get("version")), _("问题已销号。"))
    return redirect("projects:detail", pk=problem.project_id)


@login_required
@require_POST
def problem_raise(request, pk: int):
    problem = _problem_or_404(request, pk)
    form = RaiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写办理期限。"))
        return redirect("projects:detail", pk=problem.project_id)
    announce(request, lambda: services.problem_raise(actor=request.user, problem=problem, data=form.cleaned_data,
                                                     expected_version=form.cleaned_data.get("version")),
             lambda raised: _("已提请领导协调，督办单%(number)s已立项。") % {"number": raised.item.number})
    return redirect("projects:detail", pk=problem.project_id)


@login_required
def evidence_download(request, pk: int):
    _readable(request.user)
    evidence = get_object_or_404(StageEvidence.objects.visible_to(request.user), pk=pk)
    return file_download(evidence.file, evidence.name)


@login_required
def photo_download(request, pk: int):
    _readable(request.user)
    photo = get_object_or_404(ReturnPhoto.objects.visible_to(request.user), pk=pk)
    return file_download(photo.file, photo.name)


def _project_form(request, form, save, done, **context):
    """The project's form page (register, edit, a signed lead converted): `save(data, version)` calls
    the service; once saved, the project's page."""
    return form_page(request, form, save, done, then="projects:detail", template="projects/project_form.html",
                     context={"project": None, **context})


@login_required
def project_create(request):
    user = request.user
    if not user.can("projects.edit"):
        raise PermissionDenied(_("只有项目牵头单位的填报员可以登记重大项目。"))
    form = ProjectForm(request.POST or None, initial={"lead_unit": user.unit_id}, user=user, with_plan=True)
    return _project_form(request, form, lambda data, _v: services.project_create(
        actor=user, data=data, planned=planned_from(form.cleaned_data)), _("重大项目已登记。"))


@login_required
def project_edit(request, pk: int):
    user = request.user
    project = _editable(request, pk)
    form = ProjectForm(request.POST or None, instance=project, initial={"expected_version": project.version},
                       user=user)
    return _project_form(request, form, lambda data, version: services.project_update(
        actor=user, project=project, data=data, expected_version=version), _("重大项目已保存。"), project=project)


@login_required
def from_lead(request, lead_id: int):
    """转为项目: a signed lead, once. The page shows what the lead says, to be completed."""
    user = request.user
    lead = get_object_or_404(Lead.objects.visible_to(user).select_related("unit"), pk=lead_id)
    existing = Project.objects.filter(lead=lead).first()
    if existing is not None:
        messages.info(request, _("该线索已转为项目。"))
        return redirect("projects:detail", pk=existing.pk)
    if not user.can("projects.edit", unit=lead.unit_id):
        raise PermissionDenied(_("只有线索责任单位的填报员可以将其转为项目。"))
    form = ConvertForm(request.POST or None, initial=services.lead_project_data(lead), user=user, with_plan=True)
    return _project_form(request, form, lambda data, _v: services.convert_lead(
        actor=user, lead=lead, data=data, planned=planned_from(form.cleaned_data)), _("招商线索已转为重大项目。"),
        lead=lead)
