"""Writes of the enterprise register: rights, the credit code's check character, figure versions,
history."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import current_batch, record_change, snapshot
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import create_record, update_record, validate

from .credit_code import normalise
from .models import Enterprise, EnterpriseFigure, FigureSource, Indicator

M2M_FIELDS = ("parcels", "tags")
TEXT_FIELDS = ("name", "credit_code", "address", "note")


def may_edit(user) -> bool:
    return user is None or user.can("enterprises.edit")


def _require_edit(actor) -> None:
    if not may_edit(actor):
        raise PermissionDeniedError("只有经发局企业管理员或系统管理员可以登记和修改企业。")


def _set(enterprise: Enterprise, data: dict) -> dict:
    """Put `data` on the record; returns the many-to-many values (set after saving)."""
    m2m = {}
    for key in Enterprise.WRITABLE_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in M2M_FIELDS:
            m2m[key] = list(value or [])
        elif key in TEXT_FIELDS:
            value = (value or "").strip()
            setattr(enterprise, key, normalise(value) if key == "credit_code" else value)
        else:
            field = Enterprise._meta.get_field(key)
            if field.is_relation:
                # A record, or its id (an import's revert restores from the change record's ids).
                setattr(enterprise, field.attname, getattr(value, "pk", value))
            else:
                try:
                    setattr(enterprise, key, field.to_python(value))  # "2026-01-05" from JSON or a test
                except ValidationError as exc:
                    raise ApplicationError(f"{field.verbose_name}：{exc.messages[0]}", field=key) from exc
    return m2m


def _check(enterprise: Enterprise) -> None:
    other = Enterprise.objects.filter(credit_code=enterprise.credit_code).exclude(pk=enterprise.pk).first()
    if other is not None:
        raise ApplicationError(f"统一社会信用代码“{enterprise.credit_code}”已登记为“{other.name}”。",
                               field="credit_code")
    if enterprise.registered_on and enterprise.production_on and enterprise.production_on < enterprise.registered_on:
        raise ApplicationError("投产日期不能早于注册日期。", field="production_on")
    if enterprise.liaison_leader_id and enterprise.liaison_unit_id is None:
        raise ApplicationError("填写挂钩领导时请同时填写挂钩单位。", field="liaison_unit")


@transaction.atomic
def enterprise_create(*, actor, name: str = "", credit_code: str = "", data: dict | None = None,
                      is_demo: bool = False) -> Enterprise:
    _require_edit(actor)
    data = {"name": name, "credit_code": credit_code, **(data or {})}
    enterprise = Enterprise(is_demo=is_demo)
    m2m = _set(enterprise, data)
    _check(enterprise)
    # m2m: a tag's 认定日期 defaults to today
    return create_record(actor=actor, obj=enterprise, m2m=m2m)


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: dict, expected_version=None) -> Enterprise:
    _require_edit(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)

    def apply():
        m2m = _set(enterprise, data)
        _check(enterprise)
        return m2m

    # A tag kept keeps its 认定日期 (.set() only adds and removes the difference).
    update_record(actor=actor, obj=enterprise, fields=Enterprise.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return enterprise


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    _require_edit(actor)
    if enterprise.figures.exists():
        raise ApplicationError(f"“{enterprise.name}”已有年度数据，不能删除。")
    before = snapshot(enterprise, Enterprise.WRITABLE_FIELDS)
    record_change(actor=actor, obj=enterprise, action=ChangeRecord.Action.DELETE, before=before)
    enterprise.delete()


# ---------------------------------------------------------------- yearly figures


def current_values(enterprise: Enterprise, year: int) -> dict[int, EnterpriseFigure]:
    """The latest version of each indicator of the enterprise's year, by indicator id."""
    latest: dict[int, EnterpriseFigure] = {}
    for figure in EnterpriseFigure.objects.filter(enterprise=enterprise, year=year).order_by("version"):
        latest[figure.indicator_id] = figure
    return latest


def _figure_repr(name: str, figure: EnterpriseFigure, indicator: str) -> str:
    return f"{name} {figure.year}年{indicator} 第{figure.version}版"[:300]


def _figure_snapshot(figure: EnterpriseFigure) -> dict:
    return {"enterprise": figure.enterprise_id, "year": figure.year, "indicator": figure.indicator_id,
            "value": format(figure.value.normalize(), "f"), "source": figure.source_id, "version": figure.version}


@transaction.atomic
def figures_record(*, actor, enterprise: Enterprise, year: int, source: FigureSource,
                   values: dict[Indicator, Decimal], current: dict[int, EnterpriseFigure] | None = None
                   ) -> list[EnterpriseFigure]:
    """Add a version for each indicator whose value differs from the current one; an equal value
    adds nothing. Returns the versions created, each with a CREATE change record (the import's
    batch on it, so a revert removes exactly these)."""
    _require_edit(actor)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()  # one writer per enterprise
    if current is None:
        current = current_values(enterprise, year)
    created = []
    for indicator, value in values.items():
        value = Decimal(value)
        if value < 0 and not indicator.allow_negative:
            raise ApplicationError(f"{indicator.name}不能为负数。", field=f"indicator:{indicator.key}")
        latest = current.get(indicator.pk)
        if latest is not None and latest.value == value:
            continue
        figure = EnterpriseFigure(enterprise=enterprise, year=year, indicator=indicator, value=value, source=source,
                                  version=(latest.version if latest else 0) + 1, batch=current_batch(),
                                  created_by=actor if getattr(actor, "pk", None) else None)
        validate(figure, exclude=["enterprise", "indicator", "source", "created_by"])
        created.append(figure)
    if not created:
        return []
    EnterpriseFigure.objects.bulk_create(created)
    content_type = ContentType.objects.get_for_model(EnterpriseFigure)
    # One insert for the history of the whole row (an import writes thousands).
    ChangeRecord.objects.bulk_create(ChangeRecord(
        actor=actor if getattr(actor, "pk", None) else None, action=ChangeRecord.Action.CREATE,
        content_type=content_type, object_id=f.pk, object_repr=_figure_repr(enterprise.name, f, f.indicator.name),
        after=_figure_snapshot(f), note=f"来源：{source.name}", batch=f.batch) for f in created)
    return created


@transaction.atomic
def figures_delete(*, actor, figures: list[EnterpriseFigure]) -> None:
    """Remove versions (an import's revert): the one before each becomes current again. One
    DELETE change record each, written together."""
    _require_edit(actor)
    content_type = ContentType.objects.get_for_model(EnterpriseFigure)
    names = dict(Enterprise.objects.filter(pk__in={f.enterprise_id for f in figures}).values_list("pk", "name"))
    indicators = dict(Indicator.objects.values_list("pk", "name"))
    ChangeRecord.objects.bulk_create(ChangeRecord(
        actor=actor if getattr(actor, "pk", None) else None, action=ChangeRecord.Action.DELETE,
        content_type=content_type, object_id=f.pk,
        object_repr=_figure_repr(names.get(f.enterprise_id, ""), f, indicators.get(f.indicator_id, "")),
        before=_figure_snapshot(f), batch=current_batch()) for f in figures)
    ids = [f.pk for f in figures]
    for start in range(0, len(ids), 1000):  # within every database's limit on parameters
        EnterpriseFigure.objects.filter(pk__in=ids[start:start + 1000]).delete()
