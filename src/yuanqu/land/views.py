"""Pages of the land register: the parcel list (and its export), a parcel, the park map, and the
administrator's polygon uploads. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yuanqu.core.errors import ApplicationError
from yuanqu.core.pages import require_ability, save_form
from yuanqu.core.registerlist import RegisterList

from . import selectors, services
from .forms import ParcelForm, QuotaForm, RevitalisationForm
from .models import STATUS_COLOURS, LandQuota, LandUse, Parcel, Revitalisation
from .tables import ParcelTable

MAX_GEOJSON_BYTES = 5 * 1024 * 1024


def _reader(user) -> None:
    if not (user.can("land.read_all") or user.can("land.edit")):
        require_ability(user, "land.read_all", "只有领导、督查室和土地主管单位可以查看地块。")


PARCELS = RegisterList(
    check=_reader, find=lambda user, params, on: selectors.filter_parcels(user, params), table=ParcelTable,
    sheet="地块", template="land/parcel_list.html", partial="land/_parcel_table.html",
    context=lambda request, found: {
        "status_choices": Parcel.Status.choices, "uses": LandUse.objects.filter(is_active=True),
        "quotas": selectors.quotas(request.user), "can_import": request.user.can("org.manage_users"),
        "can_create": request.user.can("land.edit")})
parcel_list, parcel_export = PARCELS.page, PARCELS.export


@login_required
def parcel_detail(request, pk: int):
    _reader(request.user)
    parcel = get_object_or_404(Parcel.objects.visible_to(request.user).select_related("planned_use", "unit"), pk=pk)
    context = {
        "parcel": parcel,
        "colour": STATUS_COLOURS[parcel.status],
        "revitalisations": selectors.parcel_revitalisations(request.user, parcel),
        "history": selectors.parcel_history(parcel),
        "can_upload": request.user.can("land.upload_geometry"),
        "can_edit": services.may_edit(request.user, parcel),
        "map": selectors.parcel_map(parcel) if parcel.geometry else None,
    }
    return render(request, "land/parcel_detail.html", context)


def _uploaded(request) -> bytes | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size > MAX_GEOJSON_BYTES:
        raise ApplicationError("边界文件超过 5 MB，请先在 GIS 软件中简化后再上传。", field="file")
    return upload.read()


@login_required
@require_POST
def parcel_geometry(request, pk: int):
    parcel = get_object_or_404(Parcel.objects.visible_to(request.user), pk=pk)
    require_ability(request.user, "land.upload_geometry", "只有系统管理员可以上传地块边界。")
    try:
        data = None if request.POST.get("clear") else _uploaded(request)
        if data is None and not request.POST.get("clear"):
            raise ApplicationError("请选择 GeoJSON 文件。", field="file")
        services.parcel_set_geometry(actor=request.user, parcel=parcel, data=data)
        messages.success(request, "已清除地块边界。" if data is None else "地块边界已保存。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("land:detail", pk=parcel.pk)


@login_required
def park_map(request):
    _reader(request.user)
    context = {
        "data": selectors.map_data(request.user, lambda p: reverse("land:detail", args=[p.pk])),
        "can_upload": request.user.can("land.upload_geometry"),
    }
    return render(request, "land/park_map.html", context)


@login_required
@require_POST
def geometry_collection(request):
    require_ability(request.user, "land.upload_geometry", "只有系统管理员可以上传地块边界。")
    try:
        data = _uploaded(request)
        if data is None:
            raise ApplicationError("请选择 GeoJSON 文件。", field="file")
        result = services.parcels_load_collection(actor=request.user, data=data)
        messages.success(request, f"边界文件匹配地块 {result['matched']} 块，其中 {result['changed']} 块的边界有变化。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("land:map")


# ---------------------------------------------------------------- forms


@login_required
def parcel_create(request):
    require_ability(request.user, "land.edit", "只有土地主管单位的填报员可以登记地块。")
    form = ParcelForm(request.POST or None, user=request.user)
    if request.method == "POST":
        parcel = save_form(request, form, lambda data, _v: services.parcel_create(actor=request.user, data=data),
                           "地块已登记。")
        if parcel:
            return redirect("land:detail", pk=parcel.pk)
    return render(request, "land/form.html", {"form": form, "parcel": None, "title": "登记地块"})


def _editable_parcel(request, pk: int) -> Parcel:
    parcel = get_object_or_404(Parcel.objects.visible_to(request.user), pk=pk)
    if not services.may_edit(request.user, parcel):
        raise PermissionDenied("只能修改本单位主管的地块。")
    return parcel


@login_required
def parcel_edit(request, pk: int):
    parcel = _editable_parcel(request, pk)
    form = ParcelForm(request.POST or None, user=request.user, initial=ParcelForm.initial_for(parcel))
    if request.method == "POST" and save_form(request, form, lambda data, version: services.parcel_update(
            actor=request.user, parcel=parcel, data=data, expected_version=version), "地块已保存。"):
        return redirect("land:detail", pk=parcel.pk)
    return render(request, "land/form.html", {"form": form, "parcel": parcel, "title": f"修改地块 {parcel.code}"})


@login_required
def revitalisation_form(request, pk: int, item_pk: int | None = None):
    parcel = _editable_parcel(request, pk)
    item = get_object_or_404(Revitalisation.objects.visible_to(request.user), pk=item_pk, parcel=parcel) \
        if item_pk else None
    initial = RevitalisationForm.initial_for(item) if item else {}
    form = RevitalisationForm(request.POST or None, initial=initial)

    def save(data, version):
        if item:
            return services.revitalisation_update(actor=request.user, item=item, data=data, expected_version=version)
        return services.revitalisation_create(actor=request.user, parcel=parcel, data=data)

    if request.method == "POST" and save_form(request, form, save, "盘活记录已保存。"):
        return redirect("land:detail", pk=parcel.pk)
    title = f"{parcel.code} 低效用地盘活" + ("（修改）" if item else "（登记）")
    return render(request, "land/form.html", {"form": form, "parcel": parcel, "title": title})


@login_required
def quota_form(request, pk: int | None = None):
    require_ability(request.user, "land.edit", "只有土地主管单位的填报员可以登记用地指标。")
    quota = get_object_or_404(LandQuota.objects.visible_to(request.user), pk=pk) if pk else None
    form = QuotaForm(request.POST or None, initial=QuotaForm.initial_for(quota) if quota else {})

    def save(data, version):
        if quota:
            return services.quota_update(actor=request.user, quota=quota, data=data, expected_version=version)
        return services.quota_create(actor=request.user, data=data)

    if request.method == "POST" and save_form(request, form, save, "用地指标已保存。"):
        return redirect("land:list")
    title = f"修改{quota}" if quota else "登记新增建设用地指标"
    return render(request, "land/form.html", {"form": form, "parcel": None, "title": title})
