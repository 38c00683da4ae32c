"""Pages of the grid register: the event list (filters, export), one event with its timeline, photos
and the steps the user may take, the grid registry, performance, and the phone pages a grid worker
uses in the field (report with the camera, see and handle what is theirs). Reads through
selectors, writes through services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import describe_changes, history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.core.pages import require_ability, save_form
from yuanqu.core.registerlist import RegisterList, filter_note
from yuanqu.core.steppage import step_buttons
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import CategoryForm, GridForm, ReportForm, RoutingRuleForm, SlaRuleForm, StepForm
from .models import (
    OPEN,
    Action,
    EventCategory,
    EventPhoto,
    Grid,
    GridEvent,
    RoutingRule,
    Severity,
    SlaRule,
    Source,
    State,
)
from .tables import EventTable

PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WebP": "image/webp", "HEIC": "image/heic"}
DENIED = "只有网格员、网格指挥中心、承办单位、领导和督查室可以查看网格事件。"

# The buttons of the event page: the input each step shows, and its style.
STEP_INPUTS = {
    Action.ACCEPT: ("", "primary"), Action.REJECT: ("comment", "outline-danger"), Action.DISPATCH: ("unit", "primary"),
    Action.SIGN: ("", "primary"), Action.HANDLE: ("comment", "primary"), Action.FEEDBACK: ("feedback", "success"),
    Action.RETURN: ("comment", "outline-warning"), Action.VERIFY: ("comment", "success"),
    Action.VERIFY_FAIL: ("comment", "outline-danger"), Action.CLOSE: ("comment", "success"),
    Action.EVALUATE: ("satisfaction", "success"), Action.RAISE: ("deadline", "outline-danger"),
}
COMMENT_LABELS = {Action.REJECT: "不予受理理由", Action.FEEDBACK: "处置结果", Action.RETURN: "退回理由",
                  Action.VERIFY_FAIL: "现场情况", Action.HANDLE: "处置措施", Action.RAISE: "提请理由"}


def _reader(user) -> None:
    if not any(user.can(a) for a in ("grid.read_all", "grid.report", "grid.handle")):
        require_ability(user, "grid.read_all", DENIED)


def _event_or_404(user, pk: int) -> GridEvent:
    return get_object_or_404(GridEvent.objects.visible_to(user).select_related(
        "category", "grid__unit", "assigned_unit", "reported_by", "escalated_to", "supervision_item"), pk=pk)


# ---------------------------------------------------------------- the list


EVENTS = RegisterList(
    check=_reader, find=selectors.filter_events, today=services.now, table=EventTable, table_on="now",
    sheet="网格事件", template="grid/event_list.html", partial="grid/_event_table.html",
    context=lambda request, found: {
        "states": State.choices, "categories": EventCategory.objects.filter(is_active=True),
        "sources": Source.choices, "severities": Severity.choices, "units": selectors.unit_choices(request.user),
        "grids": Grid.objects.visible_to(request.user).only("pk", "name"),
        "can_report": services.may_report(request.user),
        "can_import": request.user.can("grid.manage")},  # the importer's own ability
    # Events are timed: the note names the minute of the export.
    note=lambda found, rows: f"导出时间：{timezone.localtime(found.on):%Y-%m-%d %H:%M}" + filter_note(found.filters))
event_list, event_export = EVENTS.page, EVENTS.export


# ---------------------------------------------------------------- one event


def _buttons(user, event: GridEvent) -> list[dict]:
    allowed = services.allowed_actions(user, event)
    return step_buttons(services.EVENT_FLOW, allowed, STEP_INPUTS, comment_labels=COMMENT_LABELS)


def _event_context(request, event: GridEvent, error: str = "") -> dict:
    buttons = _buttons(request.user, event)
    dispatching = any(b["action"] == Action.DISPATCH for b in buttons)
    suggested = services.route(event.category, event.grid) if dispatching else None
    return {
        "event": event, "steps": selectors.event_timeline(event), "buttons": buttons, "error": error,
        "photos": list(event.photos.all()), "overdue": event.is_overdue(services.now()),
        "co_units": list(event.co_units.all()), "suggested": suggested,
        "units": OrgUnit.objects.filter(is_active=True).only("pk", "name") if dispatching else [],
    }


@login_required
def event_detail(request, pk: int):
    _reader(request.user)
    event = _event_or_404(request.user, pk)
    context = _event_context(request, event)
    context["history"] = describe_changes(history_for(event), GridEvent)
    return render(request, "grid/event_detail.html", context)


@login_required
@require_POST
def event_act(request, pk: int, action: str):
    event = _event_or_404(request.user, pk)
    if action not in services.ACTIONS:
        raise Http404
    phone = request.POST.get("next") == "m"
    form = StepForm(request.POST)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version" and v not in (None, "")}
    co_units = [v for v in request.POST.getlist("co_units") if v]
    if co_units:
        data["co_units"] = co_units
    try:
        services.event_step(actor=request.user, event=event, action=action, photos=request.FILES.getlist("photos"),
                            expected_version=form.cleaned_data.get("expected_version"), **data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        event = _event_or_404(request.user, pk)
        context = _event_context(request, event, exc.message)
        if phone:
            return render(request, "grid/phone_event.html", context, status=400)
        context["history"] = describe_changes(history_for(event), GridEvent)
        return render(request, "grid/event_detail.html", context, status=400)
    messages.success(request, f"已{services.EVENT_FLOW[action].label}。")
    return redirect("grid:phone_event" if phone else "grid:event", pk=pk)


@login_required
def photo(request, pk: int):
    found = get_object_or_404(EventPhoto.objects.filter(
        event__in=GridEvent.objects.visible_to(request.user).values("pk")), pk=pk)
    try:
        handle = found.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # The type is the picture's own (its first bytes), never the uploaded name's: a ".html" is not served as a page.
    kind = services.image_kind(handle.read(16))
    handle.seek(0)
    response = FileResponse(handle, content_type=PHOTO_TYPES.get(kind, "application/octet-stream"))
    response["Cache-Control"] = "private, max-age=86400"
    return response


# ---------------------------------------------------------------- the registry and performance


@login_required
def grid_list(request):
    _reader(request.user)
    now = services.now()
    grids = (Grid.objects.visible_to(request.user).select_related("unit__parent", "leader")
             .annotate(workers_count=Count("workers", distinct=True),
                       open_count=Count("events", filter=Q(events__state__in=OPEN), distinct=True),
                       overdue_count=Count("events", filter=Q(events__state__in=OPEN)
                                           & Q(events__due_at__lt=now, events__fed_back_at__isnull=True),
                                           distinct=True)))
    return render(request, "grid/grid_list.html", {"grids": grids, "can_manage": services.may_manage(request.user)})


@login_required
def grid_detail(request, pk: int):
    _reader(request.user)
    grid = get_object_or_404(Grid.objects.visible_to(request.user).select_related("unit__parent", "leader"), pk=pk)
    return render(request, "grid/grid_detail.html", {
        "grid": grid, "workers": list(grid.workers.all()), "objects": list(grid.objects_in.select_related("enterprise")),
        "history": describe_changes(history_for(grid), Grid), "can_manage": services.may_manage(request.user)})


@login_required
def stats(request):
    _reader(request.user)
    now = services.now()
    raw = request.GET.get("year", "")
    on = timezone.localdate(now)
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else on.year
    return render(request, "grid/stats.html", {
        "units": selectors.unit_figures(request.user, now, year=year),
        "workers": selectors.worker_figures(request.user, now, year=year),
        "year": year, "min_sample": selectors.min_sample()})


# ---------------------------------------------------------------- the phone pages


@login_required
def phone_home(request):
    _reader(request.user)
    return render(request, "grid/phone_home.html", {
        "work": selectors.my_work(request.user, services.now()), "can_report": services.may_report(request.user)})


@login_required
def phone_report(request):
    require_ability(request.user, "grid.report", "只有网格员和网格指挥中心可以上报网格事件。")
    form = ReportForm(request.POST or None)
    error, field = "", ""
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.service_data(),
                                          photos=request.FILES.getlist("photos"))
        except ApplicationError as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(exc.message) from exc
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已上报，事件编号 {event.number}。")
            return redirect("grid:phone_event", pk=event.pk)
    categories = list(EventCategory.objects.filter(is_active=True).select_related("parent").order_by("path"))
    return render(request, "grid/phone_report.html", {
        "form": form, "error": error, "field": field, "values": form.data if request.method == "POST" else {},
        "grids": list(selectors.grid_choices(request.user)), "categories": categories,
        "sources": Source.choices, "severities": Severity.choices,
    }, status=400 if error else 200)


@login_required
def phone_event(request, pk: int):
    _reader(request.user)
    event = _event_or_404(request.user, pk)
    return render(request, "grid/phone_event.html", _event_context(request, event))


# ---------------------------------------------------------------- configuration (the command centre)

MANAGERS_ONLY = "只有网格指挥中心和系统管理员可以维护网格、事件类别、分拨规则和处置时限。"


@dataclass(frozen=True)
class Setting:
    """One configuration register: its list, its form and the services that write it."""

    title: str
    model: type
    form: type
    write: Callable  # (actor, obj or None, data, version) -> saved
    remove: Callable | None  # (actor, obj) -> None; None when it is switched off instead
    related: tuple = ()
    prefetch: tuple = ()


SETTINGS = {
    "categories": Setting(
        "事件类别", EventCategory, CategoryForm,
        lambda actor, obj, data, version: services.category_save(actor=actor, category=obj, data=data,
                                                                 expected_version=version),
        None, related=("parent",)),
    "routing": Setting(
        "分拨规则", RoutingRule, RoutingRuleForm,
        lambda actor, obj, data, version: services.routing_rule_save(actor=actor, rule=obj, data=data,
                                                                     expected_version=version),
        lambda actor, obj: services.routing_rule_delete(actor=actor, rule=obj),
        related=("category", "grid", "area", "unit"), prefetch=("co_units",)),
    "limits": Setting(
        "处置时限", SlaRule, SlaRuleForm,
        lambda actor, obj, data, version: services.sla_rule_save(actor=actor, rule=obj, data=data,
                                                                 expected_version=version),
        lambda actor, obj: services.sla_rule_delete(actor=actor, rule=obj), related=("category",)),
}


def _setting(request, kind: str) -> Setting:
    require_ability(request.user, "grid.manage", MANAGERS_ONLY)
    if kind not in SETTINGS:
        raise Http404
    return SETTINGS[kind]


def _recent_history(model, limit: int = 30) -> list[dict]:
    """The register's latest changes, removals included (two queries and one per kind of reference)."""
    records = (ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model))
               .select_related("actor").order_by("-time", "-pk")[:limit])
    return describe_changes(records, model)


@login_required
def setting_list(request, kind: str):
    setting = _setting(request, kind)
    rows = setting.model.objects.select_related(*setting.related).prefetch_related(*setting.prefetch)
    return render(request, f"grid/settings_{kind}.html", {
        "kind": kind, "setting": setting, "rows": rows, "kinds": SETTINGS,
        "history": _recent_history(setting.model)})


@login_required
def setting_form(request, kind: str, pk: int | None = None):
    setting = _setting(request, kind)
    obj = get_object_or_404(setting.model.objects.all(), pk=pk) if pk else None
    form = setting.form(request.POST or None, initial=setting.form.initial_for(obj) if obj else None)
    if request.method == "POST" and save_form(
            request, form, lambda data, version: setting.write(request.user, obj, data, version), "已保存。",
            denied_is_403=True):
        return redirect("grid:settings", kind=kind)
    return render(request, "grid/settings_form.html", {
        "kind": kind, "setting": setting, "form": form, "obj": obj,
        "history": describe_changes(history_for(obj), setting.model) if obj else []},
        status=400 if form.errors else 200)


@login_required
@require_POST
def setting_delete(request, kind: str, pk: int):
    setting = _setting(request, kind)
    if setting.remove is None:
        raise Http404
    obj = get_object_or_404(setting.model.objects.all(), pk=pk)
    setting.remove(request.user, obj)
    messages.success(request, f"已删除{setting.title}“{obj}”，修改记录中保留其内容。")
    return redirect("grid:settings", kind=kind)


@login_required
def grid_form(request, pk: int | None = None):
    require_ability(request.user, "grid.manage", MANAGERS_ONLY)
    grid = get_object_or_404(Grid.objects.all(), pk=pk) if pk else None
    form = GridForm(request.POST or None, initial=GridForm.initial_for(grid) if grid else None)

    def save(data, version):
        return services.grid_save(actor=request.user, grid=grid, data=data, expected_version=version)

    saved = request.method == "POST" and save_form(request, form, save, "网格已保存。", denied_is_403=True)
    if saved:
        return redirect("grid:grid", pk=saved.pk)
    return render(request, "grid/grid_form.html", {"form": form, "grid": grid}, status=400 if form.errors else 200)
