"""Units edited in Django admin go through the org services: versioned and logged."""

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
