"""The scope choke point as a role matrix: who sees and who may report on which targets."""

import pytest

from yuanqu.plans.models import Plan, ProgressReport, Target

from ..factories import target

ALL = {"招引项目", "培育新型农民", "三南村", "农民收入"}
# reporters: own unit and units under it, as lead or cooperating unit
VISIBLE = {
    "admin": ALL,
    "supervisor": ALL,
    "leader": ALL,
    "invest": {"招引项目", "农民收入"},
    "agri": {"培育新型农民", "三南村", "农民收入"},  # 三南村 is under 农业农村局; assists 农民收入
    "village": {"三南村"},
    "nounit": set(),
}
REPORTABLE = {
    "admin": ALL,
    "supervisor": ALL,
    "leader": set(),
    "invest": {"招引项目", "农民收入"},
    "agri": {"培育新型农民", "三南村"},  # assisting is not leading
    "village": {"三南村"},
    "nounit": set(),
}


def starts(qs):
    return {next(k for k in ALL if t.title.startswith(k)) for t in qs}


@pytest.mark.parametrize("role", VISIBLE)
def test_visible_targets_by_role(plan, users, role):
    assert starts(Target.objects.visible_to(users[role])) == VISIBLE[role]


@pytest.mark.parametrize("role", REPORTABLE)
def test_reportable_targets_by_role(plan, users, role):
    assert starts(Target.objects.reportable_by(users[role])) == REPORTABLE[role]


@pytest.mark.parametrize("role,sees_draft", [("supervisor", True), ("leader", True), ("agri", False)])
def test_drafts_are_hidden_from_reporters(plan, users, role, sees_draft):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    assert Plan.objects.visible_to(users[role]).filter(pk=plan.pk).exists() is sees_draft
    assert Target.objects.visible_to(users[role]).exists() is sees_draft


def test_deleted_targets_are_hidden_from_everyone(plan, users):
    t = target(plan, "三南村")
    Target.objects.filter(pk=t.pk).update(deleted_at="2026-01-01T00:00:00Z")
    for user in users.values():
        assert not Target.objects.visible_to(user).filter(pk=t.pk).exists()


def test_moving_a_unit_changes_what_its_parent_sees(plan, users, units):
    units["village"].parent = units["invest"]
    units["village"].save()
    agri = type(users["agri"]).objects.get(pk=users["agri"].pk)  # fresh user: scope cache is per instance
    assert "三南村" not in starts(Target.objects.visible_to(agri))


def test_reports_follow_target_scope(plan, users):
    t = target(plan, "招引项目")
    ProgressReport.objects.create(target=t, period="2026-01-01", narrative="x", submitted_by=users["invest"])
    assert ProgressReport.objects.visible_to(users["invest"]).count() == 1
    assert ProgressReport.objects.visible_to(users["village"]).count() == 0
    assert ProgressReport.objects.visible_to(users["leader"]).count() == 1
