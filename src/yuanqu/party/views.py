"""Pages of the Party register: organisations (list with warnings, export, form, one organisation),
checklists, assessments (the checklist filled in with evidence, reviewed, its timeline), 两新
coverage with its 空白点 and the 两委换届. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.core.pages import announce, file_download, require_ability, save_form
from yuanqu.core.pagination import Paginator
from yuanqu.core.steppage import record_view, step_view
from yuanqu.core.xlsx import xlsx_response
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import rules, selectors, services
from .forms import MemberForm, OrganisationForm, SocialForm, StepForm, SurveyForm, TemplateForm
from .models import (
    Assessment,
    AssessmentEntry,
    ChecklistTemplate,
    Election,
    ElectionStage,
    ElectionStep,
    EnterpriseSurvey,
    Evidence,
    Form,
    Member,
    PartyOrganisation,
    SocialOrganisation,
    State,
)
from .tables import (
    AssessmentTable,
    BlankSpotTable,
    ElectionTable,
    MemberTable,
    OrganisationTable,
    SocialTable,
)

PAGE_SIZE = 50
DENIED = "只有党建办、领导、督查室和有党组织的单位可以查看党建。"
STEP_STYLE = {"submit": "primary", "return": "warning", "review": "success"}


def _reader(user) -> None:
    if not (user.can("party.read_all") or user.can("party.self_assess")):
        raise PermissionDenied(DENIED)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else clock.today().year


def _note(year: int, params) -> str:
    labels = [f"{k}={v}" for k, v in params.items() if v and k not in ("page",)]
    return f"导出日期：{clock.today():%Y-%m-%d}；年度：{year}" + ("；筛选：" + "，".join(labels) if labels else "")


# ---------------------------------------------------------------- organisations


def _organisations(request):
    year = _year(request)
    qs = selectors.organisations(request.user, request.GET, year=year)
    rows = selectors.with_warnings(qs, clock.today(), only_warned=request.GET.get("warn") == "1")
    return year, rows


@login_required
def organisation_list(request):
    _reader(request.user)
    year, rows = _organisations(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/list.html", {
        "page": page, "table": OrganisationTable(list(page), thresholds=rules.thresholds()), "year": year,
        "forms": Form.choices, "params": request.GET, "warned": sum(1 for r in rows if r.found_warnings),
        "may_manage": services.may_manage(request.user)})


@login_required
def organisation_export(request):
    _reader(request.user)
    year, rows = _organisations(request)
    return xlsx_response("党组织.xlsx", OrganisationTable(rows, thresholds=rules.thresholds()).sheet(
        "党组织", _note(year, request.GET)))


@login_required
def organisation_form(request, pk: int | None = None):
    org = get_object_or_404(PartyOrganisation.objects.visible_to(request.user), pk=pk) if pk else None
    require_ability(request.user, "party.manage", "只有党建办可以登记和修改党组织。")
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(org) if org else {})
    if org is not None and org.has_roster:
        for key in ("full_members", "probationary_members"):
            form.fields[key].disabled = True
            form.fields[key].help_text = "按党员名册统计"

    def save(data, version):
        if org is None:
            return services.organisation_create(actor=request.user, data=data)
        if org.has_roster:  # the counts are the roster's (the fields are shown read-only)
            data.pop("full_members", None)
            data.pop("probationary_members", None)
        return services.organisation_update(actor=request.user, organisation=org, data=data, expected_version=version)

    saved = request.method == "POST" and save_form(request, form, save, "党组织已保存。")
    if saved:
        return redirect("party:detail", pk=saved.pk)
    return render(request, "party/form.html", {"form": form, "org": org,
                                               "title": f"修改{org.name}" if org else "登记党组织"})


@login_required
def organisation_detail(request, pk: int):
    _reader(request.user)
    org = get_object_or_404(PartyOrganisation.objects.visible_to(request.user).select_related("unit", "enterprise", "social_organisation")
                            .prefetch_related("joint_enterprises"), pk=pk)
    year = clock.today().year
    assessments = list(org.assessments.select_related("template").order_by("-year"))
    may_start = (org.is_active and services.current_template(year) is not None
                 and not any(a.year == year for a in assessments)
                 and services.may_self_assess(request.user, Assessment(organisation=org)))
    t = rules.thresholds()
    return render(request, "party/detail.html", {
        "org": org, "warnings": org.warnings(clock.today(), t), "term_end": org.term_end_on(t),
        "assessments": assessments, "may_start": may_start, "year": year,
        "may_manage": services.may_manage(request.user),
        "history": describe_changes(history_for(org), PartyOrganisation)})


# ---------------------------------------------------------------- the member roster


def _roster_history(org: PartyOrganisation):
    ct = ContentType.objects.get_for_model(Member)
    records = ChangeRecord.objects.filter(Q(after__organisation=org.pk) | Q(before__organisation=org.pk),
                                          content_type=ct).select_related("actor")
    return describe_changes(records, Member)


@login_required
def member_list(request, pk: int):
    _reader(request.user)
    org = get_object_or_404(PartyOrganisation.objects.visible_to(request.user).select_related("unit"), pk=pk)
    members = list(org.roster.all())
    may_edit = services.may_keep_roster(request.user, org)
    if request.GET.get("export"):
        return xlsx_response(f"{org.name}党员名册.xlsx", MemberTable(members).sheet(
            "党员名册", f"导出日期：{clock.today():%Y-%m-%d}；{org.name}；党员{len(members)}名"))
    return render(request, "party/members.html", {
        "org": org, "table": MemberTable(members, may_edit=may_edit), "may_edit": may_edit, "count": len(members),
        "history": _roster_history(org)})


def _member_page(request, org: PartyOrganisation, member: Member | None):
    if not services.may_keep_roster(request.user, org):
        raise PermissionDenied("只有党建办和党组织所在单位可以维护党员名册。")
    initial = {**{k: getattr(member, k) for k in Member.WRITABLE_FIELDS}, "expected_version": member.version} \
        if member else {}
    form = MemberForm(request.POST or None, initial=initial)

    def save(data, version):
        if member is None:
            return services.member_add(actor=request.user, organisation=org, data=data)
        return services.member_update(actor=request.user, member=member, data=data, expected_version=version)

    if request.method == "POST" and save_form(request, form, save, "党员名册已保存。", denied_is_403=True):
        return redirect("party:members", pk=org.pk)
    return render(request, "party/member_form.html", {
        "form": form, "org": org, "member": member,
        "title": f"修改党员：{member.name}" if member else f"添加党员：{org.name}"},
        status=400 if form.errors else 200)


@login_required
def member_new(request, pk: int):
    _reader(request.user)
    org = get_object_or_404(PartyOrganisation.objects.visible_to(request.user).select_related("unit"), pk=pk)
    return _member_page(request, org, None)


def _member_or_404(user, pk: int) -> Member:
    return get_object_or_404(Member.objects.visible_to(user).select_related("organisation__unit"), pk=pk)


@login_required
def member_edit(request, pk: int):
    _reader(request.user)
    member = _member_or_404(request.user, pk)
    return _member_page(request, member.organisation, member)


@login_required
@require_POST
def member_remove(request, pk: int):
    _reader(request.user)
    member = _member_or_404(request.user, pk)
    org_pk = member.organisation_id
    try:
        services.member_remove(actor=request.user, member=member, reason=request.POST.get("reason", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"已将{member.name}移出党员名册。")
    return redirect("party:members", pk=org_pk)


@login_required
@require_POST
def assessment_start(request, pk: int):
    org = get_object_or_404(PartyOrganisation.objects.visible_to(request.user), pk=pk)
    try:
        assessment = services.assessment_start(actor=request.user, organisation=org, year=clock.today().year)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("party:detail", pk=pk)
    return redirect("party:assessment", pk=assessment.pk)


# ---------------------------------------------------------------- checklists


@login_required
def template_list(request):
    _reader(request.user)
    templates = ChecklistTemplate.objects.prefetch_related("items")
    return render(request, "party/templates.html", {"templates": templates,
                                                    "may_manage": services.may_manage(request.user)})


@login_required
def template_form(request):
    require_ability(request.user, "party.manage", "只有党建办可以制定考评清单。")
    initial = {"year": clock.today().year, "total_score": "100"}
    base = request.GET.get("from", "")
    if base.isdigit():
        source = ChecklistTemplate.objects.filter(pk=int(base)).first()
        if source:
            initial.update(name=source.name, total_score=source.total_score, pass_mark=source.pass_mark,
                           exemplary_mark=source.exemplary_mark, items=TemplateForm.lines_of(source))
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(
            request, form, lambda data, _v: services.template_create(actor=request.user, data=data),
            lambda template: f"考评清单已保存为第{template.version}版。"):
        return redirect("party:templates")
    return render(request, "party/form.html", {"form": form, "title": "制定考评清单"})


# ---------------------------------------------------------------- assessments


@login_required
def assessment_list(request):
    _reader(request.user)
    year = _year(request)
    qs = (Assessment.objects.visible_to(request.user).filter(year=year)
          .select_related("organisation__unit", "organisation__enterprise", "organisation__social_organisation", "template"))
    if request.GET.get("state") in State.values:
        qs = qs.filter(state=request.GET["state"])
    if request.GET.get("export"):
        return xlsx_response(f"{year}年度党组织规范化考评.xlsx", AssessmentTable(list(qs)).sheet(
            "规范化考评", _note(year, request.GET)))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/assessments.html", {
        "page": page, "table": AssessmentTable(list(page)), "year": year, "states": State.choices,
        "template": services.current_template(year), "may_manage": services.may_manage(request.user)})


@login_required
@require_POST
def assessment_open_year(request):
    require_ability(request.user, "party.manage", "只有党建办可以统一开展年度考评。")
    year = clock.today().year
    announce(request, lambda: services.assessment_open_year(actor=request.user, year=year),
             lambda n: f"已为{n}个党组织开展{year}年度考评。")
    return redirect("party:assessments")


def _assessment_or_404(user, pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.visible_to(user).select_related(
        "organisation__unit", "organisation__enterprise", "organisation__social_organisation", "template"), pk=pk)


def _assessment_page(request, assessment: Assessment, *, error: str = "", status: int = 200):
    entries = list(assessment.entries.select_related("item").prefetch_related("evidence").order_by("item__order"))
    user = request.user
    allowed = services.allowed_actions(user, assessment)
    return render(request, "party/assessment.html", {
        "a": assessment, "entries": entries, "error": error,
        "self_edit": assessment.state == State.SELF and services.may_self_assess(user, assessment),
        "review_edit": assessment.state == State.SUBMITTED and services.may_manage(user),
        "buttons": [{"action": t.action, "label": t.label, "style": STEP_STYLE[t.action]}
                    for t in services.ASSESSMENT_FLOW if t.action in allowed],
        "events": assessment.events.select_related("actor").order_by("time", "id"),
        "history": describe_changes(history_for(assessment), Assessment)}, status=status)


assessment_detail = record_view(check=_reader, record=_assessment_or_404, page=_assessment_page)


@login_required
@require_POST
def assessment_scores(request, pk: int):
    assessment = _assessment_or_404(request.user, pk)
    review = request.POST.get("kind") == "review"
    prefix = "review_" if review else "self_"
    values = {k.removeprefix(prefix): v for k, v in request.POST.items() if k.startswith(prefix)}
    notes = {k.removeprefix("note_"): v for k, v in request.POST.items() if k.startswith("note_")}
    try:
        services.assessment_score(actor=request.user, assessment=assessment, values=values,
                                  notes=notes if not review else None, review=review,
                                  expected_version=request.POST.get("expected_version"))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        return _assessment_page(request, _assessment_or_404(request.user, pk), error=exc.message, status=400)
    messages.success(request, "审核分已保存。" if review else "自评已保存。")
    return redirect("party:assessment", pk=pk)


@login_required
@require_POST
def evidence_upload(request, pk: int, entry: int):
    assessment = _assessment_or_404(request.user, pk)
    item = get_object_or_404(AssessmentEntry, pk=entry, assessment=assessment)
    try:
        services.evidence_add(actor=request.user, entry=item, files=request.FILES.getlist("files"))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        return _assessment_page(request, assessment, error=exc.message, status=400)
    messages.success(request, "佐证材料已上传。")
    return redirect("party:assessment", pk=pk)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.filter(
        entry__assessment__in=Assessment.objects.visible_to(request.user).values("pk")), pk=pk)
    return file_download(evidence.file, evidence.name)


assessment_act = step_view(record=_assessment_or_404, flow=services.ASSESSMENT_FLOW, form=StepForm,
                           target="assessment", run=services.assessment_step, page=_assessment_page,
                           done="party:assessment")


# ---------------------------------------------------------------- 两新 coverage


@login_required
def coverage(request):
    require_ability(request.user, "party.read_all", "只有党建办、领导和督查室可以查看两新覆盖。")
    scale = request.GET.get("scale") if request.GET.get("scale") in selectors.SCALES else ""
    found = selectors.coverage(scale)
    social = selectors.social_coverage()
    spots = selectors.blank_spots(request.GET)
    may_edit = services.may_manage(request.user)
    if request.GET.get("export"):
        return xlsx_response("两新党组织空白点.xlsx", BlankSpotTable(list(spots)).sheet(
            "空白点", f"导出日期：{clock.today():%Y-%m-%d}；{selectors.SCALES[scale]}{found.operating}家，空白点{found.blank}家"))
    page = Paginator(spots, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/coverage.html", {
        "c": found, "social": social, "total": found + social, "scale": scale,
        "rows": [(selectors.SCALES[scale], found), ("正常运转的社会组织", social), ("合计", found + social)], "scales": selectors.SCALES, "page": page, "table": BlankSpotTable(list(page), may_edit=may_edit), "params": request.GET})


@login_required
def survey_form(request, pk: int):
    require_ability(request.user, "party.manage", "只有党建办可以维护两新调查和党建工作指导员。")
    enterprise = get_object_or_404(Enterprise, pk=pk)
    survey = EnterpriseSurvey.objects.filter(enterprise=enterprise).first()
    initial = {k: getattr(survey, k) for k in EnterpriseSurvey.WRITABLE_FIELDS} if survey else {"operating": True}
    if survey:
        initial["expected_version"] = survey.version
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(request, form, lambda data, version: services.survey_save(
            actor=request.user, enterprise=enterprise, data={**data, "version": version}), "两新调查已保存。"):
        return redirect("party:coverage")
    return render(request, "party/form.html", {"form": form, "title": f"两新调查：{enterprise.name}"})


# ---------------------------------------------------------------- social organisations


@login_required
def social_list(request):
    require_ability(request.user, "party.read_all", "只有党建办、领导和督查室可以查看社会组织。")
    rows = selectors.social_organisations(request.GET)
    if request.GET.get("export"):
        return xlsx_response("社会组织.xlsx", SocialTable(list(rows)).sheet("社会组织", _note(clock.today().year, request.GET)))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_edit = services.may_manage(request.user)
    return render(request, "party/social.html", {
        "page": page, "table": SocialTable(list(page), may_edit=may_edit), "may_edit": may_edit,
        "params": request.GET, "c": selectors.social_coverage()})


@login_required
def social_form(request, pk: int | None = None):
    require_ability(request.user, "party.manage", "只有党建办可以登记和修改社会组织。")
    social = get_object_or_404(SocialOrganisation, pk=pk) if pk else None
    initial = {**{k: getattr(social, k) for k in SocialOrganisation.WRITABLE_FIELDS},
               "expected_version": social.version} if social else {"operating": True}
    form = SocialForm(request.POST or None, initial=initial)

    def save(data, version):
        if social is None:
            return services.social_create(actor=request.user, data=data)
        return services.social_update(actor=request.user, social=social, data=data, expected_version=version)

    if request.method == "POST" and save_form(request, form, save, "社会组织已保存。"):
        return redirect("party:social")
    return render(request, "party/form.html", {"form": form, "title": f"修改{social.name}" if social else "登记社会组织"},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- 两委换届


@login_required
def election_list(request):
    _reader(request.user)
    years = selectors.election_years(request.user)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else clock.today().year)
    rows = list(selectors.elections(request.user, year=year))
    stages = list(ElectionStage.objects.filter(is_active=True))
    table = ElectionTable(rows, stages=stages, on=clock.today())
    if request.GET.get("export"):
        return xlsx_response(f"{year}年两委换届进度.xlsx", table.sheet("两委换届", f"导出日期：{clock.today():%Y-%m-%d}"))
    return render(request, "party/elections.html", {"table": table, "year": year, "years": years,
                                                    "may_manage": services.may_manage(request.user)})


@login_required
def election_form(request):
    """The 党建办 schedules a village's or community's 两委换届: a planned date for every active step."""
    require_ability(request.user, "party.manage", "只有党建办可以安排两委换届。")
    stages = list(ElectionStage.objects.filter(is_active=True))
    units = OrgUnit.objects.filter(kind__in=services.RURAL, is_active=True).order_by("path")
    error, posted = "", request.POST
    if request.method == "POST":
        planned = {s.pk: posted.get(f"stage_{s.pk}") for s in stages}
        try:
            election = services.election_create(actor=request.user, unit=posted.get("unit"), year=posted.get("year"),
                                                 planned=planned)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "两委换届已安排。")
            return redirect("party:election", pk=election.pk)
    return render(request, "party/election_form.html", {
        "stages": [(s, posted.get(f"stage_{s.pk}", "")) for s in stages], "units": units, "error": error,
        "unit": posted.get("unit", ""), "year": posted.get("year", clock.today().year)},
        status=400 if error else 200)


@login_required
def election_detail(request, pk: int):
    _reader(request.user)
    election = get_object_or_404(selectors.elections(request.user), pk=pk)
    error = ""
    if request.method == "POST":
        step = get_object_or_404(ElectionStep, pk=request.POST.get("step") or 0, election=election)
        try:
            services.election_step_done(actor=request.user, step=step, done_on=request.POST.get("done_on"))
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "换届进度已保存。")
            return redirect("party:election", pk=pk)
    on = clock.today()
    may_report = services.may_manage(request.user) or request.user.can("party.self_assess", unit=election.unit_id)
    steps = [(s, s.status(on), ElectionStep.STATUS_LABELS[s.status(on)]) for s in election.steps.all()]
    return render(request, "party/election.html", {
        "election": election, "steps": steps, "may_report": may_report, "error": error,
        "history": describe_changes(history_for(election), Election)}, status=400 if error else 200)


