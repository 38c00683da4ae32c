"""Small builders for tests (plain functions over the ORM, no factory library)."""

from decimal import Decimal

from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit, RoleAssignment, User
from yuanqu.plans.models import Plan, Section, Target

PASSWORD = "yuanqu-test-pw"


def make_user(username: str, role: str, unit: OrgUnit | None = None, *, also=()) -> User:
    """A user holding `role` for `unit` (their home unit) and the (role, unit) pairs in `also`.
    A reporter without a unit holds no role, like the migrated accounts of that kind."""
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, full_name=username)
    grants = [(role, unit if Role.REPORTER == role else None), *also]
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=r, unit=u) for r, u in grants if not (r == Role.REPORTER and u is None)
    )
    return user


def make_demo_bureaus(units, names, *, enterprises: int = 0) -> None:
    """What an app's demo finds when `yuanqu demo` has built the others before it: the bureaus
    `names` under the 管委会 (the conftest's unit where one has that name), each with a reporter
    `demo-<name>`, and `enterprises` enterprises; every unit and user marked demo."""
    from yuanqu.enterprises.models import Enterprise

    from .enterprises.conftest import code_for  # that conftest builds on this module

    existing = {u.name: u for u in units.values()}
    for name in names:
        unit = existing.get(name) or OrgUnit.objects.create(name=name, parent=units["committee"])
        make_user(f"demo-{name}", Role.REPORTER, unit)
    OrgUnit.objects.update(is_demo=True)
    User.objects.update(is_demo=True)
    Enterprise.objects.bulk_create(Enterprise(name=f"演示企业{n}", credit_code=code_for(n), is_demo=True)
                                   for n in range(1, enterprises + 1))


def make_target(plan: Plan, section: Section, lead: OrgUnit | None, title: str, **kw) -> Target:
    defaults = {"kind": Target.Kind.QUANTITY, "comparator": ">=", "target_value": Decimal("100"), "unit": "个"}
    defaults.update(kw)
    return Target.objects.create(plan=plan, section=section, lead_unit=lead, title=title, **defaults)


def target(plan: Plan, title_start: str) -> Target:
    return plan.targets.get(title__startswith=title_start)


def add_units_with_targets(plan, n: int) -> None:
    """n more units, each leading a target of the plan (for query counts that must not grow with units)."""
    from yuanqu.org.models import OrgUnit

    section = plan.sections.first()
    start = OrgUnit.objects.count()
    for i in range(n):
        unit = OrgUnit.objects.create(name=f"新增单位{start + i}")
        make_target(plan, section, unit, f"新增目标{start + i}")
