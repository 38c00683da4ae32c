"""Small builders for tests (plain functions over the ORM, no factory library)."""

from decimal import Decimal

from yuanqu.enterprises.credit_code import ALPHABET, check_character
from yuanqu.org import roles as Role
from yuanqu.org.models import OrgUnit, RoleAssignment, User
from yuanqu.plans.models import Plan, Section, Target

PASSWORD = "yuanqu-test-pw"


def make_user(username: str, role: str, unit: OrgUnit | None = None, *, also=(), full_name: str = "") -> User:
    """A user holding `role` for `unit` (their home unit) and the (role, unit) pairs in `also`.
    A reporter without a unit holds no role, like the migrated accounts of that kind."""
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, full_name=full_name or username)
    grants = [(role, unit if Role.REPORTER == role else None), *also]
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=r, unit=u) for r, u in grants if not (r == Role.REPORTER and u is None)
    )
    return user


def make_unit_user(username: str, role: str, unit: OrgUnit, *, full_name: str = "") -> User:
    """A user holding `role` for their home `unit` alone (a grid worker, a visiting cadre)."""
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, full_name=full_name or username)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def make_bureau(units, name: str, short_name: str = "") -> OrgUnit:
    """A bureau under the conftest's 管委会 (an app's own office: 经发局, 综治中心 …)."""
    return OrgUnit.objects.create(name=name, short_name=short_name, parent=units["committee"])


def make_keeper(username: str, ability: str, unit: OrgUnit) -> User:
    """A bureau's reporter who also holds a register's `ability` for it (经发局企业管理员, 检查人员 …)."""
    return make_user(username, Role.REPORTER, unit, also=[(ability, unit)])


def code_for(n: int) -> str:
    """The n-th valid 统一社会信用代码 (check character and all)."""
    body = "91320684MA" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(7))
    return body + check_character(body)


def make_demo_bureaus(units, names, *, enterprises: int = 0) -> None:
    """What an app's demo finds when `yuanqu demo` has built the others before it: the bureaus
    `names` under the 管委会 (the conftest's unit where one has that name), each with a reporter
    `demo-<name>`, and `enterprises` enterprises; every unit and user marked demo."""
    from yuanqu.enterprises.models import Enterprise

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
