"""Writes of the enterprise record: rights, the credit code's check character, history."""

from __future__ import annotations

from django.db import transaction

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import update_record, validate

from .credit_code import normalise
from .models import Enterprise


def _require_edit(actor) -> None:
    if actor is not None and not actor.can("enterprises.edit"):
        raise PermissionDeniedError("只有督查室或系统管理员可以登记和修改企业。")


def _set(enterprise: Enterprise, data: dict) -> None:
    for key in Enterprise.WRITABLE_FIELDS:
        if key in data:
            value = (data[key] or "").strip()
            setattr(enterprise, key, normalise(value) if key == "credit_code" else value)


def _check_unique(enterprise: Enterprise) -> None:
    other = Enterprise.objects.filter(credit_code=enterprise.credit_code).exclude(pk=enterprise.pk).first()
    if other is not None:
        raise ApplicationError(f"统一社会信用代码“{enterprise.credit_code}”已登记为“{other.name}”。",
                               field="credit_code")


@transaction.atomic
def enterprise_create(*, actor, name: str, credit_code: str, is_demo: bool = False) -> Enterprise:
    _require_edit(actor)
    enterprise = Enterprise(is_demo=is_demo)
    _set(enterprise, {"name": name, "credit_code": credit_code})
    _check_unique(enterprise)
    validate(enterprise)
    enterprise.save()
    record_change(actor=actor, obj=enterprise, action=ChangeRecord.Action.CREATE,
                  after=snapshot(enterprise, Enterprise.WRITABLE_FIELDS))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: dict, expected_version=None) -> Enterprise:
    _require_edit(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)

    def apply():
        _set(enterprise, data)
        _check_unique(enterprise)

    update_record(actor=actor, obj=enterprise, fields=Enterprise.WRITABLE_FIELDS, apply=apply,
                  expected_version=expected_version)
    return enterprise


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    _require_edit(actor)
    before = snapshot(enterprise, Enterprise.WRITABLE_FIELDS)
    record_change(actor=actor, obj=enterprise, action=ChangeRecord.Action.DELETE, before=before)
    enterprise.delete()
