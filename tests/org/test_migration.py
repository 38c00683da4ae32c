"""The migration from one role and one unit per user to role assignments, and the paths it fills."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0001_initial")]
AFTER = [("org", "0002_roles_and_paths")]


@pytest.mark.django_db(transaction=True)
def test_every_user_becomes_one_assignment_and_every_unit_gets_its_path():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit, User = old.get_model("org", "OrgUnit"), old.get_model("org", "User")
    root = Unit.objects.create(name="管委会")
    dept = Unit.objects.create(name="农业农村局", parent=root)
    village = Unit.objects.create(name="三南村", parent=dept)
    rows = {
        "boss": ("leader", root), "chen": ("supervisor", None), "wang": ("reporter", village),
        "root": ("admin", None), "lost": ("reporter", None),
    }
    for name, (role, unit) in rows.items():
        User.objects.create(username=name, role=role, unit=unit, password="!")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Unit, User = new.get_model("org", "OrgUnit"), new.get_model("org", "User")
    Assignment = new.get_model("org", "RoleAssignment")

    assert Unit.objects.get(pk=village.pk).path == f"{root.pk:06d}.{dept.pk:06d}.{village.pk:06d}."
    assert Unit.objects.get(pk=root.pk).path == f"{root.pk:06d}."
    held = {(a.user.username, a.role, a.unit_id) for a in Assignment.objects.select_related("user")}
    assert held == {("boss", "leader", None), ("chen", "supervisor", None), ("wang", "reporter", village.pk),
                    ("root", "admin", None)}  # a reporter without a unit could report for nothing
    assert User.objects.get(username="wang").unit_id == village.pk  # the home unit stays
    assert User.objects.get(username="boss").unit_id == root.pk

    # And back: each user gets their role again.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("org", "User").objects.get(username="boss").role == "leader"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
