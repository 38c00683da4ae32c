"""Every write on org units and users goes through here (rights, validation, history).

`actor=None` means the system itself (a management command such as `yuanqu demo`).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.core.abilities import ROLES, abilities_of
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import check_version, validate

from .abilities import MANAGE_USERS
from .models import OrgUnit, RoleAssignment, User, unit_problem

Action = ChangeRecord.Action

UNIT_FIELDS = ["name", "short_name", "kind", "parent", "order", "is_active"]
# Never the password hash: history is readable by people who must not see it.
USER_FIELDS = ["username", "full_name", "unit", "phone", "is_active", "is_staff", "is_superuser"]


def _require_admin(actor, message: str) -> None:
    if actor is not None and not actor.can("org.manage_users"):
        raise PermissionDeniedError(message)


def assignment_snapshot(user: User) -> list[str]:
    """The user's roles as history shows them ("单位填报员（招商局）")."""
    return sorted(a.describe() for a in RoleAssignment.objects.filter(user=user).select_related("unit"))



def resolve_unit(value, *, field: str, label: str = "单位") -> OrgUnit | None:
    """A unit given as an instance or an id (forms, API, commands); a clear message when none."""
    if value in (None, ""):
        return None
    if isinstance(value, OrgUnit):
        return value
    unit = OrgUnit.objects.filter(pk=parse_id(value)).first()
    if unit is None:
        raise ApplicationError(f"{label}“{value}”不存在。", field=field)
    return unit


def _check_name_free(name: str, exclude_pk: int | None = None) -> None:
    clash = OrgUnit.objects.filter(name=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ApplicationError(f"单位名称“{name}”已存在。", field="name")


# ---------------------------------------------------------------- org units


@transaction.atomic
def orgunit_create(
    *,
    actor,
    name: str,
    kind: str = OrgUnit.Kind.DEPARTMENT,
    parent: OrgUnit | int | None = None,
    short_name: str = "",
    order: int = 0,
    is_demo: bool = False,
) -> OrgUnit:
    _require_admin(actor, "只有系统管理员可以新增单位。")
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写单位名称。", field="name")
    _check_name_free(name)
    unit = OrgUnit(
        name=name, short_name=(short_name or "").strip(), kind=kind, parent=resolve_unit(parent, field="parent", label="上级单位"), order=order,
        is_demo=is_demo,
    )
    validate(unit)
    unit.save()
    record_change(actor=actor, obj=unit, action=Action.CREATE, after=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def orgunit_update(*, actor, unit: OrgUnit, data: dict, expected_version: int | None = None) -> OrgUnit:
    _require_admin(actor, "只有系统管理员可以修改单位。")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, expected_version)
    before = snapshot(unit, UNIT_FIELDS)
    for key in UNIT_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "parent":
            value = resolve_unit(value, field="parent", label="上级单位")
            # A unit under its own subtree would make the tree a loop.
            if value is not None and value.path.startswith(unit.path):
                raise ApplicationError("上级单位不能是该单位本身或其下级单位。", field="parent")
        elif key in {"name", "short_name"}:
            value = (value or "").strip()
        setattr(unit, key, value)
    if not unit.name:
        raise ApplicationError("请填写单位名称。", field="name")
    _check_name_free(unit.name, exclude_pk=unit.pk)
    validate(unit)
    after = snapshot(unit, UNIT_FIELDS)
    if before == after:
        return unit
    unit.version += 1
    unit.save()
    record_change(actor=actor, obj=unit, action=Action.UPDATE, before=before, after=after)
    return unit


# ---------------------------------------------------------------- users


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    unit: OrgUnit | int | None = None,
    also: list[tuple[str, OrgUnit | int | None]] = (),
    full_name: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    is_demo: bool = False,
) -> User:
    """A new account holding `role` for `unit` (also its home unit), and the roles in `also`;
    the password must pass the site's password validators."""
    _require_admin(actor, "只有系统管理员可以新增用户。")
    username = (username or "").strip()
    if not username:
        raise ApplicationError("请填写用户名。", field="username")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"用户名“{username}”已被使用。", field="username")
    unit = resolve_unit(unit, field="unit", label="所属单位")
    # The home unit is also the unit of a unit's role; zone-wide roles hold no unit.
    grants = [(role, unit if ROLES.get(role) and ROLES[role].needs_unit else None),
              *((r, resolve_unit(u, field="unit")) for r, u in also)]
    for code, where in grants:
        _check_role(code, where)
    user = User(
        username=username, unit=unit, full_name=(full_name or "").strip(), phone=(phone or "").strip(),
        # Whoever manages users configures through the admin site, which needs is_staff.
        is_staff=is_staff or any(MANAGE_USERS in abilities_of(code) for code, _u in grants),
        is_superuser=is_superuser, is_demo=is_demo,
    )
    validate(user, exclude=["password"])
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError("密码：" + "；".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=code, unit=where) for code, where in grants)
    after = {**snapshot(user, USER_FIELDS), "roles": assignment_snapshot(user)}
    record_change(actor=actor, obj=user, action=Action.CREATE, after=after)
    return user


def _check_role(code: str, unit: OrgUnit | None) -> None:
    if code not in ROLES:
        raise ApplicationError(f"角色“{code}”不存在。", field="role")
    message = unit_problem(code, unit.pk if unit else None)
    if message:
        raise ApplicationError(message, field="unit")


@transaction.atomic
def role_assign(*, actor, user: User, role: str, unit: OrgUnit | int | None = None) -> RoleAssignment:
    """Give a user one more role (for a unit, or zone-wide)."""
    _require_admin(actor, "只有系统管理员可以分配角色。")
    unit = resolve_unit(unit, field="unit")
    _check_role(role, unit)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ApplicationError("该用户已担任此角色。", field="role")
    before = assignment_snapshot(user)
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    record_change(actor=actor, obj=user, action=Action.UPDATE, before={"roles": before},
                  after={"roles": assignment_snapshot(user)})
    user.forget_assignments()
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _require_admin(actor, "只有系统管理员可以撤销角色。")
    user = assignment.user
    before = assignment_snapshot(user)
    assignment.delete()
    record_change(actor=actor, obj=user, action=Action.UPDATE, before={"roles": before},
                  after={"roles": assignment_snapshot(user)})
    user.forget_assignments()
