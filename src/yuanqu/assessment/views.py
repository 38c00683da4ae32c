"""Pages of the year-end assessment. Reads start from the scope querysets (visible_to); writes
call a service and turn its ApplicationError into a message, never a 500.

督查室 and administrators edit schemes, enter scores, bonuses and vetoes, compute, sign off and
publish; leaders read everything; a unit's reporter proposes bonuses for their unit and sees their
unit's results once published.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuanqu.core import clock
from yuanqu.core.attachments import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from yuanqu.core.errors import ApplicationError
from yuanqu.core.ids import parse_id
from yuanqu.core.pages import announce, require_ability
from yuanqu.core.parsing import to_date
from yuanqu.org.models import OrgUnit
from yuanqu.org.services import resolve_unit
from yuanqu.plans.models import Target

from . import engine, selectors, services
from .models import BonusItem, CommonScore, DeductionRule, Run, RunLine, RunResult, Scheme, SchemeGroup, Veto
from .tables import RankingTable

BAND_ROWS = 6
EXTRA_GROUP_ROWS = 2
MANAGERS_ONLY = gettext_lazy("只有督查室或系统管理员可以执行此操作。")


def _reads_all_only(user) -> None:
    if not user.can("assessment.read_all"):
        raise PermissionDenied(_("只有督查室、领导和系统管理员可以查看此页面。"))


def _id_or_404(value) -> int:
    """An id posted by a form; one no database key can hold (e.g. 20 digits) is simply not found.
    (Ids in the URL are checked by the `id` path converter, core.ids.IdConverter.)"""
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk


def _scheme(user, pk: int) -> Scheme:
    return get_object_or_404(Scheme.objects.visible_to(user), pk=pk)


def _run(user, pk: int) -> Run:
    return get_object_or_404(Run.objects.visible_to(user).select_related("scheme"), pk=pk)


def _managed(user, record):
    """`record`, found in the reader's scope first (404 before 403), for the managers only."""
    require_ability(user, "assessment.manage", MANAGERS_ONLY)
    return record


# ---------------------------------------------------------------- overview


@login_required
def index(request):
    """Schemes and runs (督查室, leaders, administrators); published runs and bonus entry (reporters)."""
    user = request.user
    schemes = list(
        Scheme.objects.visible_to(user).annotate(run_count=Count("runs")).order_by("-year", "-id")
    )
    runs = list(
        Run.objects.visible_to(user).select_related("scheme", "computed_by").defer("snapshot")
        .order_by("-scheme__year", "-number")[:50]
    )
    my_results = []
    if user.can("assessment.propose_bonus"):
        my_results = list(
            RunResult.objects.visible_to(user).select_related("run__scheme").defer("run__snapshot")
            .order_by("-run__scheme__year", "rank")[:20]
        )
    return render(request, "assessment/index.html", {
        "schemes": schemes, "runs": runs, "my_results": my_results,
        "this_year": clock.today().year,
    })


# ---------------------------------------------------------------- scheme editor


def _form_data(scheme: Scheme | None, year: int) -> dict:
    """The editor's rows: from the scheme, else the default scheme."""
    if scheme is None:
        data = services.default_scheme_data(year)
    else:
        data = {
            "year": scheme.year, "name": scheme.name, "full_marks": engine.fmt(scheme.full_marks),
            "excellent_quota": engine.fmt(scheme.excellent_quota), "bonus_cap": engine.fmt(scheme.bonus_cap),
            "completion_cap": engine.fmt(scheme.completion_cap),
            "completion_floor": "" if scheme.completion_floor is None else engine.fmt(scheme.completion_floor),
            "milestone_mode": scheme.milestone_mode, "progress_basis": scheme.progress_basis,
            "cancelled_targets": scheme.cancelled_targets,
            "report_grace_days": scheme.report_grace_days,
            "bands": [{"name": b["name"], "min": b["min"]} for b in scheme.grade_bands],
            "groups": [{"id": g.pk, "name": g.name, "kind": g.kind, "weight": engine.fmt(g.weight)}
                       for g in scheme.groups.order_by("order", "id")],
            "rules": [{"kind": r.kind, "points": engine.fmt(r.points),
                       "cap": "" if r.cap is None else engine.fmt(r.cap)} for r in scheme.rules.all()],
        }
    return data


def _count(raw, limit: int = 50) -> int:
    """A row count posted by the editor (tampered values give no rows rather than an error)."""
    try:
        return max(0, min(int(raw), limit))
    except (TypeError, ValueError):
        return 0


def _posted_data(post) -> dict:
    data = {key: post.get(key, "") for key in (
        "year", "name", "full_marks", "excellent_quota", "bonus_cap", "completion_cap", "completion_floor",
        "milestone_mode", "report_grace_days")}
    for key in ("progress_basis", "cancelled_targets"):  # an editor page from before a field keeps it
        if key in post:
            data[key] = post[key]
    data["bands"] = [
        {"name": post.get(f"band-{i}-name", ""), "min": post.get(f"band-{i}-min", "")}
        for i in range(_count(post.get("band-count")))
    ]
    data["groups"] = [
        {"id": post.get(f"group-{i}-id") or None, "name": post.get(f"group-{i}-name", ""),
         "kind": post.get(f"group-{i}-kind", ""), "weight": post.get(f"group-{i}-weight", "")}
        for i in range(_count(post.get("group-count")))
        if not post.get(f"group-{i}-delete")
    ]
    data["rules"] = [
        {"kind": kind, "points": post.get(f"rule-{kind}-points", ""), "cap": post.get(f"rule-{kind}-cap", "")}
        for kind in DeductionRule.Kind.values
    ]
    return data


def _editor_context(data: dict, scheme: Scheme | None) -> dict:
    bands = list(data.get("bands") or [])
    bands += [{"name": "", "min": ""}] * max(BAND_ROWS - len(bands), 0)
    groups = list(data.get("groups") or []) + [{"id": None, "name": "", "kind": engine.SPECIFIC, "weight": ""}
                                               for _ in range(EXTRA_GROUP_ROWS)]
    rules = {r["kind"]: r for r in data.get("rules") or []}
    rule_rows = [
        {"kind": kind, "label": label, "points": rules.get(kind, {}).get("points", ""),
         "cap": rules.get(kind, {}).get("cap", "")}
        for kind, label in DeductionRule.Kind.choices
    ]
    return {
        "scheme": scheme, "data": data, "bands": bands, "groups": groups, "rule_rows": rule_rows,
        "kind_choices": SchemeGroup.Kind.choices, "milestone_choices": Scheme.MilestoneMode.choices,
        "basis_choices": Scheme.ProgressBasis.choices,
        "cancelled_choices": Scheme.Cancelled.choices,
    }


@login_required
def scheme_create(request):
    user = request.user
    require_ability(user, "assessment.manage", MANAGERS_ONLY)
    if request.method == "POST":
        data = _posted_data(request.POST)
        try:
            scheme = services.scheme_save(actor=user, data=data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, "assessment/scheme_form.html", _editor_context(data, None), status=400)
        messages.success(request, _("考核方案已创建。"))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    year = _count(request.GET.get("year"), 2100) or clock.today().year
    return render(request, "assessment/scheme_form.html", _editor_context(_form_data(None, year), None))


@login_required
def scheme_edit(request, pk: int):
    user = request.user
    scheme = _managed(user, _scheme(user, pk))
    if request.method == "POST":
        data = _posted_data(request.POST)
        try:
            services.scheme_save(actor=user, scheme=scheme, data=data,
                                 expected_version=request.POST.get("expected_version") or None)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, "assessment/scheme_form.html", _editor_context(data, scheme), status=400)
        messages.success(request, _("考核方案已保存。"))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/scheme_form.html", _editor_context(_form_data(scheme, scheme.year), scheme))


@login_required
def scheme_detail(request, pk: int):
    user = request.user
    scheme = _scheme(user, pk)
    _reads_all_only(user)
    context = selectors.scheme_detail(scheme)
    context.update({
        "scheme": scheme,
        "locked": services.is_locked(scheme),
        "default_on": services.default_cutoff(scheme.year),
        "total_weight": sum((g.weight for g in context["groups"]), 0),
    })
    return render(request, "assessment/scheme_detail.html", context)


@login_required
@require_POST
def scheme_activate(request, pk: int):
    user = request.user
    scheme = _managed(user, _scheme(user, pk))
    announce(request, lambda: services.scheme_activate(actor=user, scheme=scheme),
             _("考核方案已启用，各单位可以申报加分。"))
    return redirect("assessment:scheme_detail", pk=scheme.pk)


@login_required
def group_targets(request, pk: int, group_id: int):
    """Which of the year's targets a group scores (unlisted ones count in the first 个性 group)."""
    user = request.user
    scheme = _scheme(user, pk)
    _reads_all_only(user)
    group = get_object_or_404(scheme.groups, pk=group_id)
    if request.method == "POST":
        require_ability(user, "assessment.manage", MANAGERS_ONLY)
        if announce(request, lambda: services.group_set_targets(
                actor=user, group=group, target_ids=request.POST.getlist("targets")),
                _("“%(name)s”组的目标已保存。") % {"name": group.name}):
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    targets = list(
        Target.objects.visible_to(user).filter(plan__year=scheme.year)
        .select_related("lead_unit", "section").order_by("plan_id", "section__order", "order", "id")
    )
    owner = {
        row.target_id: row.schemegroup
        for row in SchemeGroup.targets.through.objects.filter(schemegroup__scheme=scheme).select_related("schemegroup")
    }
    rows = [{"target": t, "group": owner.get(t.pk)} for t in targets]
    return render(request, "assessment/group_targets.html", {
        "scheme": scheme, "group": group, "rows": rows, "locked": services.is_locked(scheme),
    })


@login_required
def common_scores(request, pk: int):
    user = request.user
    scheme = _scheme(user, pk)
    _reads_all_only(user)
    groups = list(scheme.groups.filter(kind=SchemeGroup.Kind.COMMON))
    if request.method == "POST":
        require_ability(user, "assessment.manage", MANAGERS_ONLY)
        try:
            if request.POST.get("delete"):
                score = get_object_or_404(CommonScore, pk=_id_or_404(request.POST["delete"]), group__scheme=scheme)
                services.common_score_delete(actor=user, score=score)
                messages.success(request, _("评分已删除。"))
            else:
                group = next((g for g in groups if str(g.pk) == request.POST.get("group")), None)
                if group is None:
                    raise ApplicationError("请选择共性组。", field="group")
                unit = resolve_unit(request.POST.get("unit", "").strip(), field="unit", label="被考核单位")
                if unit is None:
                    raise ApplicationError("请选择被考核单位。", field="unit")
                services.common_score_save(
                    actor=user, group=group, unit=unit, name=request.POST.get("name", ""),
                    score=request.POST.get("score"), weight=request.POST.get("weight") or "1",
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("评分已保存。"))
            return redirect("assessment:common_scores", pk=scheme.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    scores = list(CommonScore.objects.filter(group__scheme=scheme).select_related("group", "unit", "scored_by")
                  .order_by("group__order", "unit__order", "unit_id", "name"))
    return render(request, "assessment/common_scores.html", {
        "scheme": scheme, "groups": groups, "scores": scores, "units": OrgUnit.objects.filter(is_active=True),
        "locked": services.is_locked(scheme), "post": request.POST if request.method == "POST" else {},
    })


# ---------------------------------------------------------------- bonuses and vetoes


@login_required
def bonus_list(request, pk: int):
    user = request.user
    scheme = _scheme(user, pk)
    may_propose = user.can("assessment.manage") or user.can("assessment.propose_bonus")
    if not (user.can("assessment.read_all") or may_propose):
        raise PermissionDenied(_("您没有查看加分申报的权限。"))
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied(_("只有单位填报员或督查室可以申报加分。"))

        def propose():
            unit = resolve_unit(request.POST.get("unit", "").strip(), field="unit", label="申报单位")
            services.bonus_propose(
                actor=user, scheme=scheme, unit=unit, points=request.POST.get("points"),
                reason=request.POST.get("reason", ""), evidence=request.POST.get("evidence", ""),
                file=request.FILES.get("file"),
            )

        if announce(request, propose, _("加分申报已提交，等待督查室审核。")):
            return redirect("assessment:bonus_list", pk=scheme.pk)
    bonuses = list(
        BonusItem.objects.visible_to(user).filter(scheme=scheme)
        .select_related("unit", "proposed_by", "approved_by").order_by("status", "-created_at", "-id")
    )
    if user.can("assessment.manage"):
        units = OrgUnit.objects.filter(is_active=True)
    else:
        units = user.units_for("assessment.propose_bonus").units()
    return render(request, "assessment/bonus_list.html", {
        "scheme": scheme, "bonuses": bonuses, "units": units, "locked": services.is_locked(scheme),
        "can_propose": may_propose and scheme.status == Scheme.Status.ACTIVE,
        "post": request.POST if request.method == "POST" else {},
        "evidence_types": ",".join(sorted(ATTACHMENT_TYPES)), "evidence_max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_POST
def bonus_decide(request, pk: int):
    user = request.user
    bonus = _managed(user, get_object_or_404(BonusItem.objects.visible_to(user).select_related("scheme"), pk=pk))
    approve = request.POST.get("decision") == "approve"
    announce(request, lambda: services.bonus_decide(actor=user, bonus=bonus, approve=approve,
                                                    note=request.POST.get("note", "")),
             _("已审核通过。") if approve else _("已退回，不予加分。"))
    return redirect("assessment:bonus_list", pk=bonus.scheme_id)


@login_required
def bonus_file(request, pk: int):
    bonus = get_object_or_404(BonusItem.objects.visible_to(request.user), pk=pk)
    if not bonus.file:
        raise Http404
    return FileResponse(bonus.file.open("rb"), as_attachment=True, filename=bonus.file.name.rsplit("/", 1)[-1])


@login_required
def veto_list(request, pk: int):
    user = request.user
    scheme = _scheme(user, pk)
    _reads_all_only(user)
    if request.method == "POST":
        require_ability(user, "assessment.manage", MANAGERS_ONLY)

        def veto():
            unit = resolve_unit(request.POST.get("unit", "").strip(), field="unit", label="被否决单位")
            services.veto_set(actor=user, scheme=scheme, unit=unit, reason=request.POST.get("reason", ""),
                              effect=request.POST.get("effect") or Veto.Effect.FAIL)

        if announce(request, veto, _("一票否决事项已登记。")):
            return redirect("assessment:veto_list", pk=scheme.pk)
    return render(request, "assessment/veto_list.html", {
        "scheme": scheme, "vetoes": list(scheme.vetoes.select_related("unit", "set_by")),
        "units": OrgUnit.objects.filter(is_active=True), "effects": Veto.Effect.choices,
        "locked": services.is_locked(scheme), "post": request.POST if request.method == "POST" else {},
    })


@login_required
@require_POST
def veto_remove(request, pk: int):
    user = request.user
    require_ability(user, "assessment.manage", MANAGERS_ONLY)
    veto = get_object_or_404(Veto, pk=pk)
    announce(request, lambda: services.veto_remove(actor=user, veto=veto), _("一票否决已撤销。"))
    return redirect("assessment:veto_list", pk=veto.scheme_id)


# ---------------------------------------------------------------- runs


@login_required
@require_POST
def run_compute(request, pk: int):
    user = request.user
    scheme = _managed(user, _scheme(user, pk))
    try:
        on = to_date(request.POST.get("on"), "考核截止日", "on") or services.default_cutoff(scheme.year)
        run = services.run_compute(actor=user, scheme=scheme, on=on)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    messages.success(request, _("测算完成：第%(n)s版，%(units)s个单位。") % {"n": run.number, "units": run.unit_count})
    return redirect("assessment:run_detail", pk=run.pk)


@login_required
def run_detail(request, pk: int):
    """The ranking table. Queries do not grow with the number of units."""
    user = request.user
    run = _run(user, pk)
    results = list(selectors.run_results(run, user))
    if not user.can("assessment.read_all") and not results:
        raise Http404
    snapshot = run.snapshot
    grade_counts: dict[str, int] = defaultdict(int)
    for r in results:
        grade_counts[r.grade] += 1
    bands = snapshot["scheme"]["bands"]
    return render(request, "assessment/run_detail.html", {
        "run": run, "scheme": run.scheme, "results": results, "table": RankingTable(results), "notes": snapshot.get("notes", []),
        "plan": snapshot.get("plan", {}), "bands": bands,
        "grade_counts": [(b["name"], grade_counts.get(b["name"], 0)) for b in bands],
        "quota": snapshot["scheme"].get("excellent_quota"),
        "slots": engine.quota_slots(engine.scheme_from_dict(snapshot["scheme"]), len(results))
        if user.can("assessment.read_all") else None,
    })


@login_required
def run_unit(request, pk: int, unit_id: int):
    """Every line that made one unit's score."""
    user = request.user
    run = _run(user, pk)
    result = get_object_or_404(
        selectors.run_results(run, user).prefetch_related(
            Prefetch("lines", queryset=RunLine.objects.order_by("order"))
        ),
        unit_id=unit_id,
    )
    entry = next((u for u in run.snapshot["units"] if u["id"] == unit_id), {})
    sections: list[dict] = []
    for line in result.lines.all():
        if not sections or sections[-1]["group"] != line.group:
            sections.append({"group": line.group, "lines": [], "subtotal": 0})
        sections[-1]["lines"].append(line)
        sections[-1]["subtotal"] += line.points
    return render(request, "assessment/run_unit.html", {
        "run": run, "scheme": run.scheme, "result": result, "sections": sections,
        "supervision": entry.get("supervision") or {}, "target_count": len(entry.get("targets") or []),
    })


def _run_action(request, pk: int, service, done: str):
    user = request.user
    run = _managed(user, _run(user, pk))
    announce(request, lambda: service(actor=user, run=run), done)
    return redirect("assessment:run_detail", pk=run.pk)


@login_required
@require_POST
def run_sign_off(request, pk: int):
    return _run_action(request, pk, services.run_sign_off, _("已定档。"))


@login_required
@require_POST
def run_publish(request, pk: int):
    return _run_action(request, pk, services.run_publish, _("已公示，结果已锁定，各单位可以查看本单位结果。"))


@login_required
@require_POST
def run_recompute(request, pk: int):
    return _run_action(request, pk, services.run_recompute, _("已按输入快照重算。"))
