"""Small builders for tests (plain functions over the ORM, no factory library)."""

from decimal import Decimal

from yuanqu.org.models import OrgUnit, User
from yuanqu.plans.models import Plan, Section, Target

PASSWORD = "yuanqu-test-pw"


def make_user(username: str, role: str, unit: OrgUnit | None = None) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit, full_name=username)


def make_target(plan: Plan, section: Section, lead: OrgUnit | None, title: str, **kw) -> Target:
    defaults = {"kind": Target.Kind.QUANTITY, "comparator": ">=", "target_value": Decimal("100"), "unit": "个"}
    defaults.update(kw)
    return Target.objects.create(plan=plan, section=section, lead_unit=lead, title=title, **defaults)


def target(plan: Plan, title_start: str) -> Target:
    return plan.targets.get(title__startswith=title_start)
