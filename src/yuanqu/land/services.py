"""Every write of the land register: rights, validation, one transaction, history."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from yuanqu.core import clock
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import create_record, update_record
from yuanqu.org.models import OrgUnit

from .areas import AreaError, parse_area
from .geometry import GeometryError, clean_geometry, load_json, split_collection
from .models import LandQuota, LandUse, Parcel, Revitalisation

PARCEL_FIELDS = (*Parcel.WRITABLE_FIELDS, "area_mu")
GEOMETRY_FIELDS = ("geometry",)


# ---------------------------------------------------------------- rights


def may_edit(user, parcel: Parcel) -> bool:
    return user is None or user.can("land.edit", unit=parcel.unit_id)


def _require_edit(actor, parcel: Parcel) -> None:
    if not may_edit(actor, parcel):
        raise PermissionDeniedError("只能登记和修改本单位主管的地块。", field="unit")


def _require_quota(actor) -> None:
    if actor is not None and not (actor.can("land.edit") or actor.can("org.manage_users")):
        raise PermissionDeniedError("只有土地主管单位的填报员可以登记用地指标。")


# ---------------------------------------------------------------- parcels


def _resolve(model, value, field: str, label: str):
    """An id (API, restore from history) or the record itself (forms, import)."""
    if value is None or isinstance(value, model):
        return value
    pk = parse_id(value)
    found = model.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApplicationError(f"{label}“{value}”不存在。", field=field)
    return found


def _apply_parcel(parcel: Parcel, data: dict) -> None:
    for key in Parcel.WRITABLE_FIELDS:
        if key in data and key not in ("unit", "planned_use"):
            setattr(parcel, key, data[key])
    if "unit" in data:
        parcel.unit = _resolve(OrgUnit, data["unit"], "unit", "主管单位")
    if "planned_use" in data:
        parcel.planned_use = _resolve(LandUse, data["planned_use"], "planned_use", "规划用途")
    if "area_text" in data or parcel.area_mu is None:
        parcel.area_text = str(parcel.area_text or "").strip()
        try:
            parcel.area_mu = parse_area(parcel.area_text)
        except AreaError as exc:
            raise ApplicationError(f"面积：{exc}", field="area_text") from None
    parcel.code = (parcel.code or "").strip()
    parcel.name = (parcel.name or "").strip()


@transaction.atomic
def parcel_create(*, actor, data: dict, is_demo: bool = False) -> Parcel:
    parcel = Parcel(is_demo=is_demo)
    _apply_parcel(parcel, data)
    if parcel.unit_id is None:
        raise ApplicationError("请填写主管单位。", field="unit")
    _require_edit(actor, parcel)
    return create_record(actor=actor, obj=parcel, fields=PARCEL_FIELDS)


@transaction.atomic
def parcel_update(*, actor, parcel: Parcel, data: dict, expected_version=None) -> Parcel:
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    _require_edit(actor, parcel)

    def apply():
        _apply_parcel(parcel, data)
        _require_edit(actor, parcel)  # moving it to another unit needs rights there too

    update_record(actor=actor, obj=parcel, fields=PARCEL_FIELDS, apply=apply, expected_version=expected_version)
    return parcel


@transaction.atomic
def parcel_delete(*, actor, parcel: Parcel) -> None:
    _require_edit(actor, parcel)
    before = snapshot(parcel, PARCEL_FIELDS)
    record_change(actor=actor, obj=parcel, action=ChangeRecord.Action.DELETE, before=before)
    parcel.delete()


# ---------------------------------------------------------------- polygons


def _require_geometry(actor) -> None:
    if actor is not None and not actor.can("land.upload_geometry"):
        raise PermissionDeniedError("只有系统管理员可以上传地块边界。")


def _set_geometry(actor, parcel: Parcel, geometry: dict | None, note: str) -> bool:
    def apply():
        parcel.geometry = geometry

    return bool(update_record(actor=actor, obj=parcel, fields=GEOMETRY_FIELDS, apply=apply, note=note))


@transaction.atomic
def parcel_set_geometry(*, actor, parcel: Parcel, data: bytes | str | dict | None) -> Parcel:
    """One parcel's polygon from an uploaded GeoJSON (a Polygon, MultiPolygon or Feature); None clears it."""
    _require_geometry(actor)
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    geometry = None
    if data is not None:
        try:
            geometry = clean_geometry(data if isinstance(data, dict) else load_json(data))
        except GeometryError as exc:
            raise ApplicationError(f"地块 {parcel.code} 的边界：{exc}", field="geometry") from None
    _set_geometry(actor, parcel, geometry, "上传边界" if geometry else "清除边界")
    return parcel


@transaction.atomic
def parcels_load_collection(*, actor, data: bytes | str | dict) -> dict[str, int]:
    """A FeatureCollection whose features name parcels by code: all of it, or nothing with every error named."""
    _require_geometry(actor)
    try:
        found, errors = split_collection(data if isinstance(data, dict) else load_json(data))
    except GeometryError as exc:
        raise ApplicationError(str(exc), field="file") from None
    parcels = {p.code: p for p in Parcel.objects.select_for_update().filter(code__in=list(found))}
    errors += [f"地块编号 {code}：系统中没有该地块，请先登记地块" for code in found if code not in parcels]
    if errors:
        shown = "；".join(errors[:10]) + (f"；另有 {len(errors) - 10} 处错误" if len(errors) > 10 else "")
        raise ApplicationError(f"边界文件有 {len(errors)} 处错误，未导入任何边界：{shown}。", field="file",
                               extra={"errors": errors})
    changed = sum(_set_geometry(actor, parcels[code], geometry, "导入边界") for code, geometry in found.items())
    return {"matched": len(found), "changed": changed}


# ---------------------------------------------------------------- 低效用地盘活


def _apply_revitalisation(item: Revitalisation, data: dict) -> None:
    for key in Revitalisation.WRITABLE_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    if item.status != Revitalisation.Status.DONE and "completed_on" not in data:
        item.completed_on = None  # reopened: its area no longer counts as revitalised
    if item.completed_on and item.completed_on > clock.today():
        raise ApplicationError("完成日期不能晚于今天。", field="completed_on")
    if item.area_mu is not None and Decimal(item.area_mu) <= 0:
        raise ApplicationError("盘活面积应大于零。", field="area_mu")
    if item.area_mu is not None and item.parcel_id and Decimal(item.area_mu) > item.parcel.area_mu:
        raise ApplicationError(
            f"盘活面积 {item.area_mu} 亩超过地块面积 {item.parcel.area_mu} 亩。", field="area_mu")


@transaction.atomic
def revitalisation_create(*, actor, parcel: Parcel, data: dict, is_demo: bool = False) -> Revitalisation:
    _require_edit(actor, parcel)
    item = Revitalisation(parcel=parcel, is_demo=is_demo)
    _apply_revitalisation(item, data)
    return create_record(actor=actor, obj=item, fields=("parcel", *Revitalisation.WRITABLE_FIELDS))


@transaction.atomic
def revitalisation_update(*, actor, item: Revitalisation, data: dict, expected_version=None) -> Revitalisation:
    item = Revitalisation.objects.select_for_update().select_related("parcel").get(pk=item.pk)
    _require_edit(actor, item.parcel)
    update_record(actor=actor, obj=item, fields=Revitalisation.WRITABLE_FIELDS,
                  apply=lambda: _apply_revitalisation(item, data), expected_version=expected_version)
    return item


# ---------------------------------------------------------------- 新增建设用地指标


@transaction.atomic
def quota_create(*, actor, data: dict, is_demo: bool = False) -> LandQuota:
    _require_quota(actor)
    quota = LandQuota(created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    for key in LandQuota.WRITABLE_FIELDS & data.keys():
        setattr(quota, key, data[key])
    _check_quota(quota)
    return create_record(actor=actor, obj=quota)


def _check_quota(quota: LandQuota) -> None:
    if quota.requested_mu is not None and Decimal(quota.requested_mu) < 0:
        raise ApplicationError("申请指标不能为负数。", field="requested_mu")
    if quota.granted_mu is not None and Decimal(quota.granted_mu) < 0:
        raise ApplicationError("下达指标不能为负数。", field="granted_mu")


@transaction.atomic
def quota_update(*, actor, quota: LandQuota, data: dict, expected_version=None) -> LandQuota:
    _require_quota(actor)
    quota = LandQuota.objects.select_for_update().get(pk=quota.pk)

    def apply():
        for key in LandQuota.WRITABLE_FIELDS & data.keys():
            setattr(quota, key, data[key])
        _check_quota(quota)

    update_record(actor=actor, obj=quota, fields=LandQuota.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return quota


@transaction.atomic
def revitalisation_record_done(*, actor, parcel: Parcel, area_mu, method: str, completed_on, cause: str,
                               is_demo: bool = False) -> Revitalisation:
    """A revitalisation another register completed (an enterprise's clean-up releasing its land),
    offered to it through core.handoffs as "land.record_revitalisation". That register's own rule
    decides who may (the 经发局 holds no land.edit); the record is done on its date, so
    land.area_revitalised counts it, and it is logged under the asking person's name."""
    if method not in Revitalisation.Method.values:
        raise ApplicationError(f"盘活方式“{method}”不正确。", field="method")
    item = Revitalisation(parcel=parcel, is_demo=is_demo)
    _apply_revitalisation(item, {"cause": cause, "method": method, "planned_date": completed_on,
                                 "status": Revitalisation.Status.DONE, "area_mu": area_mu,
                                 "completed_on": completed_on})
    return create_record(actor=actor, obj=item,
                         fields=("parcel", *Revitalisation.WRITABLE_FIELDS), note=cause)
