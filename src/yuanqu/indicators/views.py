"""Pages of the indicators register: the list (zone and 片区 values), an indicator (by village over
periods, its caliber versions), a village or community (its indicators over time), the counts form,
the caliber form, and the .xlsx export of each list. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError
from yuanqu.core.pages import apply_service_error, require_ability, save_form
from yuanqu.core.xlsx import xlsx_response
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .forms import CountForm, DefinitionForm, VersionFields, counting_units
from .models import COUNTING_KINDS, IndicatorCount, IndicatorDefinition, Level
from .periods import period_label
from .tables import Column, IndicatorTable, MatrixTable, ValueColumn, VillageTable, value_columns

VILLAGE_PERIODS = 6


def _reader(user) -> None:
    if not selectors.may_read(user):
        raise PermissionDenied("只有领导、督查室、指标的数据主管单位和村（社区）可以查看乡村指标。")


def _note() -> str:
    return f"导出日期：{clock.today():%Y-%m-%d}；比率为各村（社区）分子之和除以分母之和，分母为零或未填报显示“—”"


# ---------------------------------------------------------------- the list


def _list_rows(user):
    defs = list(selectors.definitions(user))
    tree = selectors.unit_tree()
    values = selectors.values_for(defs, periods=selectors.latest_periods(defs), tree=tree)
    rows = []
    for d in defs:
        period = values.latest(d.pk)
        row = {"pk": d.pk, "code": d.code, "name": d.name, "owner": d.owner_unit.label,
               "unit": d.current_version.unit, "period": period_label(period) if period else "—",
               "zone": values.zone_value(d.pk, period) if period and d.level == Level.ZONE else None}
        for area in tree.areas:
            published = period and d.level in (Level.ZONE, Level.AREA)
            row[f"area_{area.pk}"] = values.area(d.pk, area.pk, period) if published else None
        rows.append(row)
    return rows, tree


def _list_table(user) -> tuple[IndicatorTable, selectors.Tree]:
    rows, tree = _list_rows(user)
    return IndicatorTable(rows, extra_columns=value_columns((f"area_{a.pk}", a.name) for a in tree.areas)), tree


@login_required
def indicator_list(request):
    user = request.user
    _reader(user)
    table, tree = _list_table(user)
    return render(request, "indicators/list.html", {
        "table": table, "villages": [v for v in tree.villages if selectors.may_read_village(user, v)],
        "can_create": user.can("indicators.manage"), "can_import": user.can("org.manage_users"),
    })


@login_required
def indicator_export(request):
    _reader(request.user)
    return xlsx_response("乡村指标.xlsx", _list_table(request.user)[0].sheet("乡村指标", _note()))


# ---------------------------------------------------------------- one indicator


def _visible_definition(request, pk: int) -> IndicatorDefinition:
    _reader(request.user)
    return get_object_or_404(selectors.definitions(request.user), pk=pk)


def _matrix(user, definition: IndicatorDefinition):
    periods = selectors.count_periods(definition)[-selectors.RECENT_PERIODS:]
    tree = selectors.unit_tree()
    values = selectors.values_for([definition], periods={definition.pk: periods}, tree=tree)
    current = definition.current_version.number
    rows = []
    if definition.level == Level.ZONE:
        rows.append({"place": "园区", "level": "园区", **{f"p_{p}": values.zone_value(definition.pk, p) for p in periods}})
    if definition.level in (Level.ZONE, Level.AREA):
        rows += [{"place": a.name, "level": "片区", **{f"p_{p}": values.area(definition.pk, a.pk, p) for p in periods}}
                 for a in tree.areas]
    for village in selectors.villages_read(user, definition, tree):
        row = {"place": village.name, "level": village.get_kind_display(), "village_pk": village.pk, "_versions": {}}
        for p in periods:
            count = values.counts.get((definition.pk, village.pk, p))
            row[f"p_{p}"] = selectors.count_value(count) if count else None
            if count and count.definition_version.number != current:
                row["_versions"][f"p_{p}"] = count.definition_version.number
        rows.append(row)
    return MatrixTable(rows, extra_columns=value_columns((f"p_{p}", period_label(p)) for p in periods))


@login_required
def indicator_detail(request, pk: int):
    definition = _visible_definition(request, pk)
    user = request.user
    return render(request, "indicators/detail.html", {
        "definition": definition, "version": definition.current_version, "table": _matrix(user, definition),
        "versions": selectors.versions(definition), "revisions": selectors.revisions(user, definition),
        "history": selectors.definition_history(definition),
        "can_revise": services.may_define(user, definition),
        "can_enter": bool(_entry_units(user, definition).exists()),
    })


@login_required
def indicator_detail_export(request, pk: int):
    definition = _visible_definition(request, pk)
    sheet = _matrix(request.user, definition).sheet(definition.name, _note())
    return xlsx_response(f"{definition.name}.xlsx", sheet)


# ---------------------------------------------------------------- a village or community


def _village_table(user, village: OrgUnit) -> tuple[VillageTable, list]:
    defs = list(selectors.definitions(user))
    own = list(IndicatorCount.objects.visible_to(user).filter(unit=village, is_current=True)
               .select_related("definition_version"))
    periods = sorted({c.period for c in own})[-VILLAGE_PERIODS:]
    by_def: dict[int, dict[str, IndicatorCount]] = {}
    for count in own:
        by_def.setdefault(count.definition_id, {})[count.period] = count
    # Every indicator the user may enter for this village (so a first entry has its button), and
    # those with counts the user reads.
    may_enter = {d.pk for d in defs if services.may_enter(user, d, village)}
    shown_defs = [d for d in defs if d.pk in by_def or d.pk in may_enter]
    latest = {d.pk: [max(by_def[d.pk])] for d in shown_defs if d.pk in by_def}
    tree = selectors.unit_tree()
    values = selectors.values_for(shown_defs, periods=latest, tree=tree)
    area = tree.area_of.get(village.pk)
    rows = []
    for d in shown_defs:
        period = latest[d.pk][0] if d.pk in latest else None
        row = {"pk": d.pk, "name": d.name, "unit": d.current_version.unit,
               "latest": period_label(period) if period else "—",
               "area": values.area(d.pk, area, period) if period and area and d.level != Level.VILLAGE else None,
               "zone": values.zone_value(d.pk, period) if period and d.level == Level.ZONE else None,
               "enter_url": (reverse("indicators:count_create", args=[d.pk]) + f"?unit={village.pk}")
               if d.pk in may_enter else ""}
        for p in periods:
            count = by_def.get(d.pk, {}).get(p)
            row[f"p_{p}"] = selectors.count_value(count) if count else None
        rows.append(row)
    extra = value_columns((f"p_{p}", period_label(p)) for p in periods)
    extra += [("latest", Column("最新期间", width=14, td="text-nowrap small")),
              ("area", ValueColumn("所在片区（最新期）")), ("zone", ValueColumn("园区（最新期）"))]
    return VillageTable(rows, extra_columns=extra), tree


def _village(request, pk: int) -> OrgUnit:
    _reader(request.user)
    village = get_object_or_404(OrgUnit.objects.filter(kind__in=COUNTING_KINDS), pk=pk)
    if not selectors.may_read_village(request.user, village):
        raise PermissionDenied("只能查看本村（社区）或本片区的指标。")
    return village


@login_required
def village_detail(request, pk: int):
    village = _village(request, pk)
    table, tree = _village_table(request.user, village)
    area = next((a for a in tree.areas if a.pk == tree.area_of.get(village.pk)), None)
    return render(request, "indicators/village.html", {"village": village, "area": area, "table": table})


@login_required
def village_export(request, pk: int):
    village = _village(request, pk)
    table, _tree = _village_table(request.user, village)
    return xlsx_response(f"{village.name}乡村指标.xlsx", table.sheet(village.name, _note()))


# ---------------------------------------------------------------- forms


def _entry_units(user, definition: IndicatorDefinition):
    """The villages and communities the user enters counts for, for this indicator."""
    if services.may_define(user, definition):
        return OrgUnit.objects.filter(kind__in=COUNTING_KINDS, is_active=True).order_by("path")
    return counting_units(user.units_for("indicators.enter"))


def _show_error(form, exc: ApplicationError) -> None:
    if exc.field == "values" and "index" in exc.extra:
        form.add_error(f"var_{exc.extra['index']}", exc.message)
    else:
        apply_service_error(form, exc)


@login_required
def count_create(request, pk: int):
    definition = _visible_definition(request, pk)
    units = _entry_units(request.user, definition)
    if not units.exists():
        raise PermissionDenied("只有本村（社区）或该指标的数据主管单位可以填报基数。")
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = CountForm(request.POST or None, definition=definition, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.count_enter(actor=request.user, definition=definition, **form.service_data())
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, f"已保存{count.unit.name}{period_label(count.period)}的基数（第{count.revision}次填报）。")
            return redirect("indicators:detail", pk=definition.pk)
    return render(request, "indicators/form.html", {
        "form": form, "definition": definition, "title": f"填报基数：{definition.name}",
        "caliber": definition.current_version})


@login_required
def definition_revise(request, pk: int):
    definition = _visible_definition(request, pk)
    if not services.may_define(request.user, definition):
        raise PermissionDenied("只有该指标的数据主管单位可以修改口径。")
    form = VersionFields(request.POST or None, initial=VersionFields.initial_for(definition))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.definition_revise(actor=request.user, definition=definition, data=form.service_data(),
                                                 expected_version=form.cleaned_data.get("expected_version"))
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"口径已修订为第{version.number}版。" if version else "口径没有变化。")
            return redirect("indicators:detail", pk=definition.pk)
    return render(request, "indicators/form.html", {"form": form, "definition": definition,
                                                    "title": f"修订口径：{definition.name}"})


@login_required
def definition_create(request):
    require_ability(request.user, "indicators.manage", "只有系统管理员可以新建乡村指标。")
    form = DefinitionForm(request.POST or None)
    definition = request.method == "POST" and save_form(
        request, form, lambda data, _v: services.definition_create(actor=request.user, data=data), "指标已新建。")
    if definition:
        return redirect("indicators:detail", pk=definition.pk)
    return render(request, "indicators/form.html", {"form": form, "definition": None, "title": "新建乡村指标"})
