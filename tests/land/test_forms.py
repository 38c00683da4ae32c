"""The parcel and revitalisation forms: the unit's reporter writes, refusals land on their field."""

import pytest

from yuanqu.land.models import LandQuota, Parcel, Revitalisation

FORM = {"code": "F-1", "name": "表单地块", "area_text": "3000平方米", "status": "reserve", "location": "",
        "holder": "", "supply_date": "", "note": "", "planned_use": ""}


@pytest.fixture
def land_client(client, land_user):
    client.force_login(land_user)
    return client


def test_the_units_reporter_registers_a_parcel_and_the_area_is_converted(land_client, land_unit):
    response = land_client.post("/land/new/", {**FORM, "unit": land_unit.pk})
    parcel = Parcel.objects.get(code="F-1")
    assert response.status_code == 302 and response["Location"] == f"/land/{parcel.pk}/"
    assert (str(parcel.area_mu), parcel.area_text) == ("4.50", "3000平方米")


def test_a_bad_area_and_another_units_parcel_are_refused_on_their_fields(land_client, land_unit, units):
    page = land_client.post("/land/new/", {**FORM, "area_text": "三千平方米", "unit": land_unit.pk})
    assert page.status_code == 200
    assert page.context["form"].errors["area_text"] == [
        "面积：“三千平方米”不是面积；请写数字和单位，如 12.5亩、8000平方米、1.2公顷（只写数字按亩计）"]
    other = land_client.post("/land/new/", {**FORM, "unit": units["agri"].pk})
    assert "unit" in other.context["form"].errors
    assert not Parcel.objects.exists()


def test_a_stale_edit_is_refused_and_keeps_the_stored_values(land_client, make_parcel):
    parcel = make_parcel(holder="甲")
    data = {**FORM, "code": parcel.code, "unit": parcel.unit_id, "area_text": "100亩", "holder": "乙",
            "expected_version": 1}
    assert land_client.post(f"/land/{parcel.pk}/edit/", data).status_code == 302
    stale = land_client.post(f"/land/{parcel.pk}/edit/", {**data, "holder": "丙"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert Parcel.objects.get(pk=parcel.pk).holder == "乙"


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("supervisor", 403), ("invest", 404)])
def test_readers_and_other_units_cannot_open_the_forms(client, users, make_parcel, role, status):
    parcel = make_parcel()
    client.force_login(users[role])
    assert client.get(f"/land/{parcel.pk}/edit/").status_code == status
    assert client.get(f"/land/{parcel.pk}/revitalisations/new/").status_code == status


def test_a_revitalisation_marked_done_needs_its_date(land_client, make_parcel):
    parcel = make_parcel(status="inefficient")
    data = {"cause": "亩均税收低", "method": "upgrade", "planned_date": "2026-06-30", "status": "done",
            "area_mu": "40", "completed_on": ""}
    page = land_client.post(f"/land/{parcel.pk}/revitalisations/new/", data)
    assert "已完成的盘活须填写完成日期" in page.content.decode()
    assert land_client.post(f"/land/{parcel.pk}/revitalisations/new/",
                            {**data, "completed_on": "2026-06-01"}).status_code == 302
    item = Revitalisation.objects.get()
    edit = land_client.post(f"/land/{parcel.pk}/revitalisations/{item.pk}/",
                            {**data, "area_mu": "500", "completed_on": "2026-06-01", "expected_version": 1})
    assert edit.context["form"].errors["area_mu"] == ["盘活面积 500 亩超过地块面积 100.00 亩。"]


def test_the_quota_is_kept_on_a_page_and_a_second_entry_for_the_year_is_refused(land_client, client, users):
    data = {"year": 2026, "requested_mu": "500", "granted_mu": "", "note": ""}
    assert land_client.post("/land/quotas/new/", data).status_code == 302
    again = land_client.post("/land/quotas/new/", {**data, "requested_mu": "9"})
    assert "该年度的用地指标已登记" in again.content.decode()
    quota = LandQuota.objects.get()
    assert land_client.post(f"/land/quotas/{quota.pk}/", {**data, "granted_mu": "420", "expected_version": 1}
                            ).status_code == 302
    assert str(LandQuota.objects.get().granted_mu) == "420.00"
    client.force_login(users["leader"])
    assert client.get("/land/quotas/new/").status_code == 403
    assert "420.00" in client.get("/land/").content.decode()
