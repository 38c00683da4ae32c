"""Roles and named abilities: what each app declares, and what code asks.

Every app may have an `abilities.py`, imported at start-up (`CoreConfig.ready`). It declares
roles (`role("grid_worker", "网格员", needs_unit=True)`) and abilities held by roles
(`ability("plans.edit_plan", "编辑计划", ADMIN, SUPERVISOR)`); a new app may also give one of
its roles an ability another app declared (`grant("plans.report_progress", "grid_worker")`).
Code never asks for a role: services, views, API permissions and templates ask
`user.can("plans.edit_plan")`, `user.units_for("plans.report_progress")` or, in templates,
`{% if user|can:"plans.edit_plan" %}`.

Roles live in code, not in a table: a role means nothing without the abilities the code gives
it, so a role that only the database knew would hold nothing. The stored assignment keeps the
role's code (`org.RoleAssignment.role`), so adding a role needs no migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    # A unit's role (填报员, 网格员) is held for a unit and its abilities reach that unit's subtree;
    # a zone-wide role (督查室, 领导, 管理员) has no unit and its abilities reach every unit.
    needs_unit: bool = False


@dataclass
class Ability:
    name: str
    label: str
    roles: set[str] = field(default_factory=set)


ROLES: dict[str, Role] = {}
ABILITIES: dict[str, Ability] = {}


def role(code: str, label: str, *, needs_unit: bool = False) -> str:
    ROLES[code] = Role(code, label, needs_unit)
    return code


def ability(name: str, label: str, *roles: str) -> str:
    if name in ABILITIES:
        raise ValueError(f"ability {name!r} is declared twice")
    ABILITIES[name] = Ability(name, label, set(roles))
    return name


def grant(name: str, *roles: str) -> None:
    """Give an ability declared elsewhere to more roles (a new register's roles)."""
    ABILITIES[name].roles.update(roles)


def roles_holding(name: str) -> frozenset[str]:
    try:
        return frozenset(ABILITIES[name].roles)
    except KeyError:
        # A typo in an ability name must fail loudly, not deny silently.
        raise LookupError(f"unknown ability {name!r}; declare it in an app's abilities.py") from None


def abilities_of(code: str) -> set[str]:
    return {a.name for a in ABILITIES.values() if code in a.roles}


def role_choices() -> list[tuple[str, str]]:
    """Choices for `RoleAssignment.role` (a callable, so a new role needs no migration)."""
    return [(r.code, r.label) for r in ROLES.values()]


def role_label(code: str) -> str:
    found = ROLES.get(code)
    return str(found.label) if found else code
