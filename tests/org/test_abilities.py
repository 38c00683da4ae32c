"""Role assignments and abilities: what a person holds, asked by name, loaded once."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from yuanqu.core.abilities import ABILITIES, ROLES
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.org import roles, services
from yuanqu.org.selectors import users_holding

from ..factories import make_user

SRC = Path(__file__).resolve().parents[2] / "src" / "yuanqu"


def test_the_base_roles_hold_the_abilities_of_the_old_single_roles(users):
    admin, supervisor, leader, invest = (users[k] for k in ["admin", "supervisor", "leader", "invest"])
    for ability in ["plans.edit_plan", "plans.review_reports", "supervision.issue_item", "assessment.manage",
                    "reports.generate_bulletin"]:
        assert admin.can(ability) and supervisor.can(ability), ability
        assert not leader.can(ability) and not invest.can(ability), ability
    for ability in ["plans.read_all", "supervision.read_all", "assessment.read_all", "cockpit.view"]:
        assert admin.can(ability) and supervisor.can(ability) and leader.can(ability), ability
        assert not invest.can(ability), ability
    assert admin.can("org.manage_users") and not supervisor.can("org.manage_users")
    assert invest.can("plans.report_progress") and not supervisor.can("plans.report_progress")
    assert not users["nounit"].can("plans.report_progress")


def test_units_for_is_the_union_of_the_subtrees_of_the_assignments_that_hold_the_ability(users, units):
    two = make_user("two1", roles.REPORTER, units["invest"], also=[(roles.REPORTER, units["area"])])
    assert two.units_for("plans.report_progress").ids() == {units["invest"].pk, units["area"].pk, units["village"].pk}
    mixed = make_user("mixed1", roles.LEADER, None, also=[(roles.REPORTER, units["village"])])
    assert mixed.can("plans.read_all") and not mixed.can("plans.edit_plan")
    assert mixed.units_for("plans.report_progress").ids() == {units["village"].pk}
    assert mixed.can("plans.report_progress", unit=units["village"])
    assert not mixed.can("plans.report_progress", unit=units["area"].pk)
    # A zone-wide assignment of a role holding the ability covers every unit.
    assert users["supervisor"].units_for("supervision.issue_item").everything


def test_abilities_are_loaded_once_per_user_object(users, units):
    user = make_user("two2", roles.REPORTER, units["invest"], also=[(roles.LEADER, None)])
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(20):
            user.can("plans.read_all")
            user.can("plans.report_progress")
            user.units_for("plans.report_progress")
            user.scope_units()
            user.role_display()
    assert len(ctx.captured_queries) == 1


def test_an_unknown_ability_fails_loudly(users):
    with pytest.raises(LookupError):
        users["admin"].can("plans.edit_plans")


def test_every_ability_the_code_asks_for_is_declared():
    asked = set()
    pattern = re.compile(r"""(?:\bcan|units_for|require_ability\(\w+|users_holding|first_holder|"""
                         r"""assignments_holding)\(?\s*[:(,]?\s*["']([a-z_]+\.[a-z_]+)["']""")
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]:
        asked |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert len(asked) >= 15
    assert asked <= set(ABILITIES), asked - set(ABILITIES)


def test_nothing_asks_for_a_role_by_its_old_words():
    """Pages, services, the API and templates ask named abilities; the one-role predicates are gone."""
    allowed: set[str] = set()
    words = re.compile(r"\.(manages_plans|reads_all|is_reporter|is_admin|is_supervisor|unit_scope_ids)\b"
                       r"|\b(user|actor)\.role\b|User\.Role\b|get_role_display")
    offenders = [
        str(p.relative_to(SRC)) for p in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]
        if "migrations" not in p.parts and words.search(p.read_text(encoding="utf-8"))
        and str(p.relative_to(SRC)) not in allowed
    ]
    assert offenders == []


def test_the_template_filter_asks_the_user_and_refuses_anonymous(users):
    template = Template('{% if user|can:"plans.edit_plan" %}yes{% else %}no{% endif %}')
    assert template.render(Context({"user": users["supervisor"]})) == "yes"
    assert template.render(Context({"user": users["leader"]})) == "no"
    assert template.render(Context({"user": AnonymousUser()})) == "no"


def test_role_assign_and_revoke_are_for_administrators_logged_and_checked(users, units):
    target = users["invest"]
    with pytest.raises(PermissionDeniedError):
        services.role_assign(actor=users["supervisor"], user=target, role=roles.REPORTER, unit=units["agri"])
    with pytest.raises(ApplicationError) as exc:
        services.role_assign(actor=users["admin"], user=target, role=roles.REPORTER, unit=None)
    assert exc.value.field == "unit" and "须指定单位" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.role_assign(actor=users["admin"], user=target, role=roles.SUPERVISOR, unit=units["agri"])
    assert exc.value.field == "unit" and "全区角色" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.role_assign(actor=users["admin"], user=target, role="nobody")
    assert exc.value.field == "role"
    target.can("plans.report_progress")  # loads the assignments: the service must refresh them
    assignment = services.role_assign(actor=users["admin"], user=target, role=roles.REPORTER, unit=units["agri"])
    assert target.units_for("plans.report_progress").ids() >= {units["invest"].pk, units["agri"].pk}
    with pytest.raises(ApplicationError):
        services.role_assign(actor=users["admin"], user=target, role=roles.REPORTER, unit=units["agri"])
    record = history_for(target).first()
    assert record.after["roles"] == ["单位填报员（农业农村局）", "单位填报员（招商局）"]
    services.role_revoke(actor=users["admin"], assignment=assignment)
    assert target.units_for("plans.report_progress").ids() == {units["invest"].pk}


def test_users_holding_follows_the_assignments(users, units):
    make_user("both1", roles.REPORTER, units["invest"], also=[(roles.SUPERVISOR, None)])
    assert set(users_holding("supervision.oversee").values_list("username", flat=True)) == {"super1", "both1"}


def test_every_role_has_a_chinese_label():
    assert {roles.ADMIN, roles.SUPERVISOR, roles.LEADER, roles.REPORTER} <= set(ROLES)
    assert all(re.search(r"[\u4e00-\u9fff]", str(r.label)) for r in ROLES.values())
