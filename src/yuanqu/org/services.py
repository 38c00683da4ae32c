"""Every write on org units and users goes through here (rights, validation, history).

`actor=None` means the system itself (a management command such as `yuanqu demo`).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError, Q
from django.db.models.deletion import Collector

from yuanqu.core.abilities import ROLES, abilities_of, roles_holding
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id
from yuanqu.core.models import ChangeRecord
from yuanqu.core.services import update_record, validate

from .abilities import MANAGE_ALIASES, MANAGE_USERS
from .models import OrgUnit, OrgUnitAlias, RoleAssignment, User, unit_problem

Action = ChangeRecord.Action

UNIT_FIELDS = ["name", "short_name", "kind", "parent", "order", "is_active"]
# Never the password hash: history is readable by people who must not see it.
USER_FIELDS = ["username", "full_name", "unit", "phone", "email", "is_active", "is_staff", "is_superuser"]
# What user_update may change besides the roles (the login name and superuser flag stay as created).
USER_EDITABLE = ["full_name", "unit", "phone", "email", "is_active", "is_staff"]


def _require_admin(actor, message: str) -> None:
    if actor is not None and not actor.can("org.manage_users"):
        raise PermissionDeniedError(message)


def assignment_snapshot(user: User) -> dict:
    """The user's roles for history: `roles` as people read them ("单位填报员（招商局）") and
    `_grants`, the same as [role code, unit id] pairs, which a revert restores exactly (a unit's
    name can change or hold brackets; history keys starting with "_" are not shown)."""
    held = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
    return {
        "roles": sorted(a.describe() for a in held),
        "_grants": sorted([a.role, a.unit_id] for a in held),
    }


def user_snapshot(user: User) -> dict:
    return {**snapshot(user, USER_FIELDS), **assignment_snapshot(user)}


def _manages(grants) -> bool:
    return any(MANAGE_USERS in abilities_of(code) for code, _u in grants)


def check_admins_kept(*, actor, user: User, held, grants, is_active: bool) -> None:
    """Refuse a change that takes user management from the actor themself, or from the last
    active account that has it: nobody could then undo it from inside the platform."""
    # A superuser manages users whatever their roles (a fresh install's first account has none).
    if not (user.is_active and (user.is_superuser or _manages(held))) or (
            is_active and (user.is_superuser or _manages(grants))):
        return
    if actor is not None and actor.pk == user.pk:
        raise ApplicationError("不能撤销自己的系统管理员角色或停用自己的账号，请由另一位系统管理员操作。", field="role")
    admins = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role_assignments__role__in=roles_holding(MANAGE_USERS))
    ).values("pk")
    # Lock every administrator's row (in one order) before counting: two administrators removing
    # each other at the same moment would otherwise both see the other one still there.
    locked = list(User.objects.select_for_update().filter(pk__in=admins).order_by("pk").values_list("pk", flat=True))
    if not any(pk != user.pk for pk in locked):
        raise ApplicationError("这是最后一位启用的系统管理员，不能撤销其角色或停用其账号。", field="role")


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
    alias = OrgUnitAlias.objects.filter(name=name).select_related("unit").first()
    if alias is not None and alias.unit_id != exclude_pk:
        raise ApplicationError(f"“{name}”已是单位“{alias.unit.name}”的别名，不能再作为单位名称。", field="name")


def _assign(obj, data: dict, keys, *, units: dict[str, str], texts: set[str]) -> None:
    """Set the given `keys` of `data` on `obj`: units resolved by id (`units` maps the field to its
    label for the message), texts trimmed."""
    for key in keys:
        if key not in data:
            continue
        value = data[key]
        if key in units:
            value = resolve_unit(value, field=key, label=units[key])
        elif key in texts:
            value = (value or "").strip()
        setattr(obj, key, value)


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

    def apply() -> None:
        _assign(unit, data, UNIT_FIELDS, units={"parent": "上级单位"}, texts={"name", "short_name"})
        # A unit under its own subtree would make the tree a loop.
        if unit.parent is not None and unit.parent.path.startswith(unit.path):
            raise ApplicationError("上级单位不能是该单位本身或其下级单位。", field="parent")
        if not unit.name:
            raise ApplicationError("请填写单位名称。", field="name")
        _check_name_free(unit.name, exclude_pk=unit.pk)

    update_record(actor=actor, obj=unit, fields=UNIT_FIELDS, apply=apply, expected_version=expected_version)
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


def _referenced(obj, *, owned=()) -> bool:
    """Whether deleting `obj` would be refused (members, children, targets…) or would take
    anything else with it beyond the rows it owns (`owned` models; a target's assisting units are
    many-to-many rows Django deletes silently)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except ProtectedError:
        return True
    if any(model not in owned and (model is not type(obj) or len(objs) > 1) for model, objs in collector.data.items()):
        return True
    # Rows that would only lose the reference (SET_NULL: who made a change record, created a
    # plan, uploaded a file) are history too: deleting would wipe who did what.
    for updates in collector.field_updates.values():
        if any((qs.exists() if hasattr(qs, "exists") else bool(qs)) for qs in updates):
            return True
    return any(
        (qs.exists() if hasattr(qs, "exists") else bool(qs))
        for qs in collector.fast_deletes if getattr(qs, "model", None) not in owned
    )


# ---------------------------------------------------------------- unit aliases


def alias_names(unit: OrgUnit) -> list[str]:
    """The unit's aliases as history shows them."""
    return sorted(OrgUnitAlias.objects.filter(unit=unit).values_list("name", flat=True))


def record_alias_change(*, actor, unit: OrgUnit, before: list[str], note: str = "") -> None:
    """One history record on the unit naming its aliases before and after (nothing when unchanged)."""
    record_change(actor=actor, obj=unit, action=Action.UPDATE, before={"alias_names": before},
                  after={"alias_names": alias_names(unit)}, note=note)


def _require_alias_rights(actor) -> None:
    if actor is not None and not actor.can(MANAGE_ALIASES):
        raise PermissionDeniedError("只有系统管理员或督查室可以维护单位别名。")


def _save_alias(unit: OrgUnit, name: str) -> OrgUnitAlias:
    taken = OrgUnitAlias.objects.filter(name=name).select_related("unit").first()
    if taken is not None:
        if taken.unit_id == unit.pk:
            return taken
        raise ApplicationError(
            f"“{name}”已是单位“{taken.unit.name}”的别名；如要改为本单位，请先在管理后台删除该别名。", field="alias"
        )
    alias = OrgUnitAlias(unit=unit, name=name)
    validate(alias, validate_unique=False)
    alias.save()
    return alias


@transaction.atomic
def unit_alias_add(*, actor, unit: OrgUnit, name: str, note: str = "") -> OrgUnitAlias:
    """Another name of the unit (区招商局 for 招商局); a name already meaning a unit is refused."""
    _require_alias_rights(actor)
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写别名。", field="alias")
    before = alias_names(unit)
    alias = _save_alias(unit, name)
    record_alias_change(actor=actor, unit=unit, before=before, note=note)
    return alias


@transaction.atomic
def unit_aliases_set(*, actor, unit: OrgUnit, names: list[str]) -> None:
    """Make the unit's aliases exactly `names` (the unit import's 别名 column): one history record."""
    _require_alias_rights(actor)
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    before = alias_names(unit)
    OrgUnitAlias.objects.filter(unit=unit).exclude(name__in=wanted).delete()
    for name in wanted:
        _save_alias(unit, name)
    record_alias_change(actor=actor, unit=unit, before=before)


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
        is_staff=is_staff or _manages(grants),
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
    record_change(actor=actor, obj=user, action=Action.CREATE, after=user_snapshot(user))
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
    if _manages([(role, unit)]) and not user.is_staff:
        user.is_staff = True  # the admin site is where users are managed
        user.save(update_fields=["is_staff"])
    record_change(actor=actor, obj=user, action=Action.UPDATE, before=before, after=assignment_snapshot(user))
    user.forget_assignments()
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _require_admin(actor, "只有系统管理员可以撤销角色。")
    user = assignment.user
    held = [(a.role, a.unit) for a in RoleAssignment.objects.filter(user=user)]
    rest = [(code, unit) for code, unit in held if (code, getattr(unit, "pk", None)) != (assignment.role, assignment.unit_id)]
    check_admins_kept(actor=actor, user=user, held=held, grants=rest, is_active=user.is_active)
    before = assignment_snapshot(user)
    assignment.delete()
    record_change(actor=actor, obj=user, action=Action.UPDATE, before=before, after=assignment_snapshot(user))
    user.forget_assignments()


@transaction.atomic
def user_remove(*, actor, user: User) -> bool:
    """Take back an account that was never used: deleted when it never logged in and nothing
    refers to it (so importing it again creates it afresh), else deactivated. True if deleted."""
    _require_admin(actor, "只有系统管理员可以删除用户。")
    if user.last_login is not None or _referenced(user, owned=(RoleAssignment,)):
        user_update(actor=actor, user=user, data={"is_active": False})
        return False
    check_admins_kept(actor=actor, user=user, held=[(a.role, a.unit) for a in user.role_assignments.all()],
                      grants=[], is_active=False)
    before = user_snapshot(user)
    pk = user.pk
    user.delete()
    user.pk = pk  # the record names the deleted row
    record_change(actor=actor, obj=user, action=Action.DELETE, before=before)
    return True


def _grants(role: str, unit: OrgUnit | None) -> list[tuple[str, OrgUnit | None]]:
    """One role held for the home unit when it is a unit's role, else zone-wide."""
    return [(role, unit if ROLES.get(role) and ROLES[role].needs_unit else None)]


@transaction.atomic
def user_update(*, actor, user: User, data: dict, note: str = "") -> User:
    """Change a person's name, home unit, contacts, whether they may log in (`USER_EDITABLE`), and
    with `role` replace their roles by that one role (for the home unit when it needs a unit), or
    with `roles` by the given (role, unit) pairs. When only the home unit changes, a unit's role
    of a user holding just that one role moves along.

    Not on `update_record`: an account has no version column (Django's own user table) and its
    roles are rows of their own, so the change is recorded here, roles included, in one record."""
    _require_admin(actor, "只有系统管理员可以修改用户。")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user_snapshot(user)
    held = list(RoleAssignment.objects.filter(user=user).order_by("pk"))
    was_active, old_unit_id = user.is_active, user.unit_id
    _assign(user, data, USER_EDITABLE, units={"unit": "所属单位"}, texts={"full_name", "phone", "email"})
    if actor is not None and user.pk == actor.pk and not user.is_active:
        raise ApplicationError("不能停用自己的账号。", field="is_active")
    grants = [(a.role, a.unit) for a in held]
    if data.get("role"):
        grants = _grants(data["role"], user.unit)
    elif "roles" in data:
        grants = [(code, resolve_unit(u, field="unit")) for code, u in data["roles"]]
    elif len(held) == 1 and held[0].unit_id is not None and held[0].unit_id == old_unit_id != user.unit_id:
        grants = _grants(held[0].role, user.unit)  # the person moved: their unit's role goes along
    for code, where in grants:
        _check_role(code, where)
    user.is_active, is_active = was_active, user.is_active  # checked against the stored state
    check_admins_kept(actor=actor, user=user, held=[(a.role, a.unit) for a in held], grants=grants, is_active=is_active)
    user.is_active = is_active
    if sorted((c, getattr(u, "pk", None)) for c, u in grants) != sorted((a.role, a.unit_id) for a in held):
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=c, unit=u) for c, u in grants)
        user.forget_assignments()
    if _manages(grants):
        user.is_staff = True
    elif _manages([(a.role, a.unit) for a in held]) and not user.is_superuser and not data.get("is_staff"):
        user.is_staff = False  # a former administrator no longer reaches the admin site
    validate(user, exclude=["password", "unit"], validate_unique=False)  # login unchanged, unit resolved
    after = user_snapshot(user)
    if before == after:
        return user
    user.save()
    record_change(actor=actor, obj=user, action=Action.UPDATE, before=before, after=after, note=note)
    return user


def demo_clerk(unit: OrgUnit | None, role: str, *, zone_wide: bool = False) -> User | None:
    """A register's demo: the unit's first demo user, given `role` (for the unit, or zone-wide) as
    an administrator would, unless they hold it already; None without a unit or a user."""
    user = User.objects.filter(is_demo=True, role_assignments__unit=unit).order_by("pk").first() if unit else None
    if user and not RoleAssignment.objects.filter(user=user, role=role).exists():
        role_assign(actor=None, user=user, role=role, unit=None if zone_wide else unit)
    return user
