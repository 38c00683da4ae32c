"""org.services: the writes the demo (and later the admin pages) use for units and users."""

import pytest

from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import history_for
from yuanqu.org import services
from yuanqu.org.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_orgunit_create_logs_history_and_refuses_a_duplicate_name(users, units):
    unit = services.orgunit_create(actor=users["admin"], name=" 建设局 ", parent=units["committee"], short_name="建设")
    assert (unit.name, unit.parent, unit.kind) == ("建设局", units["committee"], OrgUnit.Kind.DEPARTMENT)
    record = history_for(unit).get()
    assert record.actor == users["admin"] and record.after["parent"] == units["committee"].pk
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_create(actor=users["admin"], name="建设局")
    assert exc.value.field == "name" and "已存在" in exc.value.message


@pytest.mark.parametrize("role", ["supervisor", "leader", "invest"])
def test_only_administrators_write_units_and_users(users, role):
    with pytest.raises(PermissionDeniedError):
        services.orgunit_create(actor=users[role], name="新单位")
    with pytest.raises(PermissionDeniedError):
        services.user_create(actor=users[role], username="newbie", password="x7-kiwi-lantern", role="leader")
    assert not OrgUnit.objects.filter(name="新单位").exists() and not User.objects.filter(username="newbie").exists()


def test_orgunit_update_refuses_a_loop_in_the_tree(users, units):
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_update(actor=users["admin"], unit=units["agri"], data={"parent": units["village"].pk})
    assert exc.value.field == "parent"
    units["agri"].refresh_from_db()
    assert units["agri"].parent == units["committee"] and units["agri"].version == 1


def test_orgunit_update_bumps_version_and_checks_it(users, units):
    unit = services.orgunit_update(actor=users["admin"], unit=units["invest"], data={"short_name": "招商"},
                                   expected_version=1)
    assert unit.version == 2 and unit.label == "招商"
    with pytest.raises(ApplicationError):
        services.orgunit_update(actor=users["admin"], unit=unit, data={"short_name": "招"}, expected_version=1)


def test_user_create_validates_the_password_and_keeps_the_hash_out_of_history(users, units):
    with pytest.raises(ApplicationError) as exc:
        services.user_create(actor=users["admin"], username="zhang", password="12345678", role="reporter",
                             unit=units["invest"])
    assert exc.value.field == "password" and exc.value.message.startswith("密码：")
    user = services.user_create(actor=users["admin"], username="zhang", password="x7-kiwi-lantern",
                                role="reporter", unit=units["invest"], full_name="张三")
    assert user.check_password("x7-kiwi-lantern") and user.units_for("plans.report_progress").ids() == {units["invest"].pk}
    after = history_for(user).get().after
    assert after["username"] == "zhang" and "password" not in after


def test_a_reporter_needs_a_unit(users):
    with pytest.raises(ApplicationError) as exc:
        services.user_create(actor=None, username="lonely", password="x7-kiwi-lantern", role="reporter")
    assert exc.value.field == "unit"
