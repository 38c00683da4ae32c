"""Every write on org units and users goes through here (rights, validation, history).

`actor=None` means the system itself (a management command such as `yuanqu demo`).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector

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
USER_FIELDS = ["username", "full_name", "unit", "phone", "email", "is_active", "is_staff", "is_superuser"]
# What user_update may change besides the roles (the login name and superuser flag stay as created).
USER_EDITABLE = ["full_name", "unit", "phone", "email", "is_active", "is_staff"]


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


@transaction.atomic
def orgunit_delete(*, actor, unit: OrgUnit) -> bool:
    """Delete a unit nothing refers to; one that has members, children or records is deactivated
    instead (its history stays readable). Returns True when the row was deleted."""
    _require_admin(actor, "只有系统管理员可以删除单位。")
    if _referenced(unit):
        orgunit_update(actor=actor, unit=unit, data={"is_active": False})
        return False
    before = snapshot(unit, UNIT_FIELDS)
    pk = unit.pk
    unit.delete()
    unit.pk = pk  # the record names the deleted row
    record_change(actor=actor, obj=unit, action=Action.DELETE, before=before)
    return True


def _referenced(unit: OrgUnit) -> bool:
    """Whether deleting would be refused (members, children, targets…) or would take anything else
    with it (a target's assisting units are many-to-many rows Django deletes silently)."""
    collector = Collector(using=router.db_for_write(OrgUnit))
    try:
        collector.collect([unit])
    except ProtectedError:
        return True
    if any(model is not OrgUnit or len(objs) > 1 for model, objs in collector.data.items()):
        return True
    return any(qs.exists() if hasattr(qs, "exists") else bool(qs) for qs in collector.fast_deletes)


# ---------------------------------------------------------------- users


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None,
    role: str,
    unit: OrgUnit | int | None = None,
    also: list[tuple[str, OrgUnit | int | None]] = (),
    full_name: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    is_demo: bool = False,
) -> User:
    """A new account holding `role` for `unit` (also its home unit), and the roles in `also`;
    the password must pass the site's password validators. Without one (`None`) the account cannot
    log in until the administrator sets a password (imports create such accounts)."""
    _require_admin(actor, "只有系统管理员可以新增用户。")
    username = (username or "").strip()
    if not username:
        raise ApplicationError("请填写用户名。", field="username")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"用户名“{username}”已被使用。", field="username")
    unit = resolve_unit(unit, field="unit", label="所属单位")
    # The home unit is also the unit of a unit's role; zone-wide roles hold no unit.
    grants = [*_grants(role, unit), *((r, resolve_unit(u, field="unit")) for r, u in also)]
    for code, where in grants:
        _check_role(code, where)
    user = User(
        username=username, unit=unit, full_name=(full_name or "").strip(), phone=(phone or "").strip(),
        email=(email or "").strip(), is_active=is_active,
        # Whoever manages users configures through the admin site, which needs is_staff.
        is_staff=is_staff or any(MANAGE_USERS in abilities_of(code) for code, _u in grants),
        is_superuser=is_superuser, is_demo=is_demo,
    )
    # The login was checked above and the unit resolved: two queries less per user in a large import.
    validate(user, exclude=["password", "unit"], validate_unique=False)
    if password is None:
        user.set_unusable_password()
    else:
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


def _grants(role: str, unit: OrgUnit | None) -> list[tuple[str, OrgUnit | None]]:
    """One role held for the home unit when it is a unit's role, else zone-wide."""
    return [(role, unit if ROLES.get(role) and ROLES[role].needs_unit else None)]


@transaction.atomic
def user_update(*, actor, user: User, data: dict) -> User:
    """Change a person's name, home unit, contacts, whether they may log in (`USER_EDITABLE`), and
    with `role` replace their roles by that one role (for the home unit when it needs a unit), or
    with `roles` by the given (role, unit) pairs. When only the home unit changes, a unit's role
    of a user holding just that one role moves along."""
    _require_admin(actor, "只有系统管理员可以修改用户。")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {**snapshot(user, USER_FIELDS), "roles": assignment_snapshot(user)}
    held = list(RoleAssignment.objects.filter(user=user).order_by("pk"))
    for key in USER_EDITABLE:
        if key not in data:
            continue
        value = data[key]
        if key == "unit":
            value = resolve_unit(value, field="unit", label="所属单位")
        elif key in {"full_name", "phone", "email"}:
            value = (value or "").strip()
        setattr(user, key, value)
    if actor is not None and user.pk == actor.pk and not user.is_active:
        raise ApplicationError("不能停用自己的账号。", field="is_active")
    grants = [(a.role, a.unit) for a in held]
    if data.get("role"):
        grants = _grants(data["role"], user.unit)
    elif "roles" in data:
        grants = [(code, resolve_unit(u, field="unit")) for code, u in data["roles"]]
    elif "unit" in data and len(held) == 1 and held[0].unit_id is not None:
        grants = _grants(held[0].role, user.unit)
    for code, where in grants:
        _check_role(code, where)
    if sorted((c, getattr(u, "pk", None)) for c, u in grants) != sorted((a.role, a.unit_id) for a in held):
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=c, unit=u) for c, u in grants)
        user.forget_assignments()
    if any(MANAGE_USERS in abilities_of(code) for code, _u in grants):
        user.is_staff = True
    validate(user, exclude=["password", "unit"], validate_unique=False)  # login unchanged, unit resolved
    after = {**snapshot(user, USER_FIELDS), "roles": assignment_snapshot(user)}
    if before == after:
        return user
    user.save()
    record_change(actor=actor, obj=user, action=Action.UPDATE, before=before, after=after)
    return user
