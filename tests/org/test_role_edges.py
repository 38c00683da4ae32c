"""Role changes at the edges: several roles, moves between units, the last administrator, and
reverts that must put roles back exactly."""

import pytest
from django.urls import reverse

from yuanqu.core.errors import ApplicationError
from yuanqu.core.imports.services import import_revert
from yuanqu.org import services
from yuanqu.org.models import OrgUnit, RoleAssignment, User

from ..factories import PASSWORD
from .import_helpers import USER_HEADER, preview, run


def grants(user) -> set:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", "unit"))


def test_an_import_row_replaces_roles_held_for_other_units(users, units):
    person = users["invest_village"]  # reporter for 招商局 and for 三南村
    rows = [USER_HEADER, [person.username, person.full_name, "招商局", "单位填报员", "", "", ""]]
    batch = preview(users["admin"], "org.users", rows)
    assert batch.updated_count == 1, batch.preview  # not "unchanged": the village role goes
    [change] = batch.preview["updates"][0]["changes"]
    assert change[0] == "角色" and "三南村" in change[1] and change[2] == "单位填报员"
    run(users["admin"], "org.users", rows)
    assert grants(person) == {("reporter", units["invest"].pk)}
    # Same file again: now nothing to do.
    assert preview(users["admin"], "org.users", rows).unchanged_count == 1


def test_an_import_moving_a_person_takes_their_units_role_along(users, units):
    person = users["invest"]
    run(users["admin"], "org.users", [USER_HEADER, [person.username, "", "农业农村局", "单位填报员", "", "", ""]])
    assert grants(person) == {("reporter", units["agri"].pk)}


def test_revert_puts_roles_back_exactly_even_for_unit_names_with_brackets(users, units):
    bracketed = OrgUnit.objects.create(name="招商局（筹）", parent=units["committee"])
    person = services.user_create(actor=None, username="zhao", password=None, role="reporter", unit=bracketed,
                                  also=[("reporter", units["village"])])
    batch = run(users["admin"], "org.users", [USER_HEADER, ["zhao", "", "农业农村局", "领导", "", "", ""]])
    assert grants(person) == {("leader", None)}
    import_revert(actor=users["admin"], batch=batch)
    assert grants(person) == {("reporter", bracketed.pk), ("reporter", units["village"].pk)}
    assert User.objects.get(pk=person.pk).unit == bracketed


def test_an_administrator_cannot_demote_or_disable_themself(users):
    admin = users["admin"]
    with pytest.raises(ApplicationError, match="不能撤销自己的系统管理员角色"):
        services.user_update(actor=admin, user=admin, data={"role": "leader"})
    with pytest.raises(ApplicationError, match="不能撤销自己的系统管理员角色"):
        services.role_revoke(actor=admin, assignment=admin.role_assignments.get())
    assert grants(admin) == {("admin", None)}


def test_the_last_administrator_stays_and_a_demoted_one_leaves_the_admin_site(users):
    first = users["admin"]
    second = services.user_create(actor=first, username="admin2", password=None, role="admin")
    assert second.is_staff  # the admin site is where users are managed
    services.user_update(actor=second, user=first, data={"role": "leader"})
    first.refresh_from_db()
    assert first.is_staff is False and grants(first) == {("leader", None)}
    # second is now the only administrator: nobody may take that away, from outside either.
    with pytest.raises(ApplicationError, match="最后一位启用的系统管理员"):
        services.user_update(actor=None, user=second, data={"is_active": False})
    with pytest.raises(ApplicationError, match="最后一位启用的系统管理员"):
        services.role_revoke(actor=None, assignment=second.role_assignments.get())
    assert User.objects.get(pk=second.pk).is_active


def test_granting_the_administrator_role_opens_the_admin_site(users):
    services.role_assign(actor=users["admin"], user=users["leader"], role="admin")
    assert User.objects.get(pk=users["leader"].pk).is_staff


def _admin_form(client, admin_user, target, *, roles, unit):
    admin_user.is_staff = True
    admin_user.save()
    client.login(username=admin_user.username, password=PASSWORD)
    page = client.get(reverse("admin:org_user_change", args=[target.pk]))
    data = {k: v for k, v in page.context["adminform"].form.initial.items()
            if v is not None and k not in {"password", "groups", "user_permissions", "last_login"}}
    data.update({"unit": unit, "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "is_active": "on"})
    held = list(target.role_assignments.order_by("pk"))
    data.update({"role_assignments-TOTAL_FORMS": str(len(roles)), "role_assignments-INITIAL_FORMS": str(len(held))})
    for i, (role, role_unit, delete) in enumerate(roles):
        if i < len(held):
            data[f"role_assignments-{i}-id"] = held[i].pk
        data.update({f"role_assignments-{i}-user": target.pk, f"role_assignments-{i}-role": role,
                     f"role_assignments-{i}-unit": role_unit or ""})
        if delete:
            data[f"role_assignments-{i}-DELETE"] = "on"
    return data


def test_the_admin_site_moves_a_persons_unit_role_with_their_unit(client, users, units):
    person = users["invest"]
    data = _admin_form(client, users["admin"], person, roles=[("reporter", units["invest"].pk, False)],
                       unit=units["agri"].pk)
    response = client.post(reverse("admin:org_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert grants(person) == {("reporter", units["agri"].pk)}
    assert User.objects.get(pk=person.pk).unit == units["agri"]


def test_the_admin_site_refuses_an_administrator_removing_their_own_role(client, users, units):
    admin = users["admin"]
    data = _admin_form(client, admin, admin, roles=[("admin", None, True)], unit=units["committee"].pk)
    response = client.post(reverse("admin:org_user_change", args=[admin.pk]), data)
    assert response.status_code == 200 and "不能撤销自己的系统管理员角色" in response.content.decode()
    assert grants(admin) == {("admin", None)}


def test_revert_keeps_an_account_that_left_history_even_without_a_page_login(users, units):
    from yuanqu.core.history import record_change
    from yuanqu.core.models import ChangeRecord

    batch = run(users["admin"], "org.users", [USER_HEADER, ["api1", "接口用户", "招商局", "单位填报员", "", "", "是"]])
    person = User.objects.get(username="api1")
    # It worked through the API (Basic auth sets no last_login) and so appears in history as actor.
    record_change(actor=person, obj=units["invest"], action=ChangeRecord.Action.UPDATE, note="通过接口填报")
    import_revert(actor=users["admin"], batch=batch)
    kept = User.objects.get(username="api1")
    assert kept.is_active is False and ChangeRecord.objects.filter(actor=kept).exists()


def test_superuser_status_cannot_be_unticked_in_the_admin_site(client, users, units):
    root = User.objects.create_superuser(username="root", password=PASSWORD, full_name="根")
    client.login(username="root", password=PASSWORD)
    page = client.get(reverse("admin:org_user_change", args=[root.pk]))
    assert "is_superuser" not in page.context["adminform"].form.fields  # shown read-only
    # The only superuser may not disable themself either: a form error, not a server error.
    data = _admin_form(client, root, root, roles=[], unit="")
    data.pop("is_active")
    response = client.post(reverse("admin:org_user_change", args=[root.pk]), data)
    assert response.status_code == 200 and "不能撤销自己的系统管理员角色或停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=root.pk).is_active and User.objects.get(pk=root.pk).is_superuser
