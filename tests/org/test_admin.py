"""Units edited in Django admin go through the org services: versioned and logged."""

import pytest
from django.urls import reverse

from yuanqu.core.history import history_for
from yuanqu.core.models import ChangeRecord
from yuanqu.org.models import OrgUnit

from ..factories import PASSWORD


def form_data(unit, **changes):
    data = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "parent": unit.parent_id or "", "order": unit.order, "is_active": "on"}
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
    assert "short_name:  → 招商" in page


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


def test_role_changes_made_in_the_admin_site_are_logged(client, users):
    admin_user = users["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.login(username=admin_user.username, password=PASSWORD)
    target = users["agri"]
    page = client.get(reverse("admin:org_user_change", args=[target.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"password", "groups",
                                                                                 "user_permissions", "last_login"}}
    data.update({"role": "supervisor", "unit": target.unit_id, "date_joined_0": "2026-01-01",
                 "date_joined_1": "00:00:00", "is_active": "on"})
    response = client.post(reverse("admin:org_user_change", args=[target.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = history_for(target).get()
    assert ("role", "reporter", "supervisor") in record.changes()
    assert "password" not in (record.after or {})


@pytest.mark.parametrize("model", ["target", "ledgeritem", "progressreport", "plan", "section"])
def test_plan_records_cannot_be_added_or_deleted_in_the_admin_site(client, users, model):
    users["admin"].is_staff = True
    users["admin"].save()
    client.login(username=users["admin"].username, password=PASSWORD)
    assert client.get(f"/admin/plans/{model}/add/").status_code == 403
