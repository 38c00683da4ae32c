"""Units edited in Django admin go through the org services: versioned and logged."""

import pytest
from django.urls import reverse

from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.org.models import OrgUnit

from ..factories import PASSWORD


def form_data(unit, **changes):
    data = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "parent": unit.parent_id or "", "order": unit.order, "is_active": "on",
            # The aliases inline's management form (no alias rows unless a test adds them).
            "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


def test_an_admin_edit_of_a_unit_is_logged_with_before_and_after(client, users, units):
    client.login(username=users["admin"].username, password=PASSWORD)
    users["admin"].is_staff = True
    users["admin"].save()
    unit = units["invest"]
    response = client.post(reverse("admin:org_orgunit_change", args=[unit.pk]), form_data(unit, short_name="招商"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.short_name == "招商" and unit.version == 2
    record = history_for(unit).get()
    assert record.actor == users["admin"] and ("short_name", "", "招商") in record.changes()
    page = client.get(reverse("admin:org_orgunit_change", args=[unit.pk])).content.decode()
    assert "简称：— → 招商" in page


def test_a_unit_cannot_be_put_under_its_own_child(client, users, units):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    agri = units["agri"]
    response = client.post(reverse("admin:org_orgunit_change", args=[agri.pk]),
                           form_data(agri, parent=units["village"].pk), follow=True)
    assert "上级单位不能是该单位本身或其下级单位" in response.content.decode()
    assert OrgUnit.objects.get(pk=agri.pk).parent_id == units["committee"].pk
    assert not ChangeRecord.objects.exists()


def user_change_form(client, admin_user, target) -> dict:
    """Signed in as the administrator, the user change form's initial data for `target`."""
    admin_user.is_staff = True
    admin_user.save()
    client.login(username=admin_user.username, password=PASSWORD)
    page = client.get(reverse("admin:org_user_change", args=[target.pk]))
    initial = page.context["adminform"].form.initial
    return {k: v for k, v in initial.items() if v is not None and k not in {"password", "groups",
                                                                            "user_permissions", "last_login"}}


def test_role_changes_made_in_the_admin_site_are_logged(client, users, units):
    target = users["agri"]
    data = user_change_form(client, users["admin"], target)
    held = target.role_assignments.get()
    data.update({"unit": target.unit_id, "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
                 "is_active": "on"})
    # The inline: the reporter's assignment moves to the village, and a zone-wide role is added.
    data.update({
        "role_assignments-TOTAL_FORMS": "2", "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-0-id": held.pk, "role_assignments-0-user": target.pk,
        "role_assignments-0-role": "reporter", "role_assignments-0-unit": units["village"].pk,
        "role_assignments-1-user": target.pk, "role_assignments-1-role": "supervisor", "role_assignments-1-unit": "",
    })
    response = client.post(reverse("admin:org_user_change", args=[target.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = history_for(target).get()
    assert ("roles", ["单位填报员（农业农村局）"], ["单位填报员（三南村）", "督查室"]) in record.changes()
    assert record.note == "管理后台"
    assert "password" not in (record.after or {})
    target.forget_assignments()
    assert target.can("supervision.oversee") and target.units_for("plans.report_progress").ids() == {
        units["village"].pk}


def test_the_admin_site_refuses_a_reporter_without_a_unit_and_a_zone_wide_role_with_one(client, users, units):
    target = users["agri"]
    data = user_change_form(client, users["admin"], target)
    held = target.role_assignments.get()
    data.update({"unit": target.unit_id, "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
                 "is_active": "on", "role_assignments-TOTAL_FORMS": "2", "role_assignments-INITIAL_FORMS": "1",
                 "role_assignments-0-id": held.pk, "role_assignments-0-user": target.pk,
                 "role_assignments-0-role": "reporter", "role_assignments-0-unit": "",
                 "role_assignments-1-user": target.pk, "role_assignments-1-role": "leader",
                 "role_assignments-1-unit": units["agri"].pk})
    html = client.post(reverse("admin:org_user_change", args=[target.pk]), data).content.decode()
    assert "“单位填报员”须指定单位。" in html and "“领导”是全区角色，不指定单位。" in html
    assert list(target.role_assignments.values_list("role", "unit")) == [("reporter", units["agri"].pk)]
    assert not history_for(target).exists()


@pytest.mark.parametrize("model", ["target", "ledgeritem", "progressreport", "plan", "section"])
def test_plan_records_cannot_be_added_or_deleted_in_the_admin_site(client, users, model):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    assert client.get(f"/admin/plans/{model}/add/").status_code == 403


def test_the_admin_site_speaks_chinese_including_the_task_queue(client, users):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    page = client.get(reverse("admin:index")).content.decode()
    assert "园区工作平台 · 管理后台" in page and "后台任务" in page
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]
    assert "Tasks Database Backend" not in page


@pytest.mark.parametrize("active", [True, False])
def test_a_unit_added_in_the_admin_site_is_created_through_the_services(client, users, units, active):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    data = {"name": "文化旅游局", "short_name": "文旅", "kind": "department", "parent": units["committee"].pk,
            "order": 5, "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    if active:
        data["is_active"] = "on"
    response = client.post(reverse("admin:org_orgunit_add"), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    unit = OrgUnit.objects.get(name="文化旅游局")
    assert unit.is_active is active and unit.parent == units["committee"]
    assert history_for(unit).filter(action=ChangeRecord.Action.CREATE).exists()
