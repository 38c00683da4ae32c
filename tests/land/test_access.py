"""Who reads and writes land records, on the pages and through the API; query counts stay flat."""

import io

import pytest

from yuanqu.land import services
from yuanqu.land.models import LandQuota, Parcel

from ..access import assert_export_filtered, queries, signed_in
from .conftest import SQUARE

# role → the parcels it reads: 资规局's (L) and 农业农村局's (A)
READS = {"admin": {"L-1", "A-1"}, "supervisor": {"L-1", "A-1"}, "leader": {"L-1", "A-1"}, "land": {"L-1"},
         "agri": {"A-1"}, "invest": set(), "village": set(), "nounit": set()}


@pytest.fixture
def zone(users, units, land_user, make_parcel):
    users["land"] = land_user
    make_parcel(code="L-1", status="supplied", supply_date="2026-01-05")
    make_parcel(code="A-1", unit=units["agri"])
    return users


@pytest.mark.parametrize("role", list(READS))
def test_the_list_page_and_the_api_show_exactly_the_roles_parcels(client, zone, role):
    c = signed_in(client, zone[role])
    page = c.get("/land/")
    api = c.get("/api/land/parcels/")
    if role == "nounit":  # holds no role at all: no land pages
        assert page.status_code == 403
        assert api.json()["count"] == 0
        return
    assert page.status_code == 200
    shown = {code for code in ("L-1", "A-1") if f">{code}<" in page.content.decode()}
    assert shown == READS[role]
    assert {p["code"] for p in api.json()["results"]} == READS[role]


@pytest.mark.parametrize("role", list(READS))
def test_a_parcel_out_of_scope_is_a_404_on_page_and_api(client, zone, role):
    c = signed_in(client, zone[role])
    parcel = Parcel.objects.get(code="L-1")
    expected = 200 if "L-1" in READS[role] else (403 if role == "nounit" else 404)
    assert c.get(f"/land/{parcel.pk}/").status_code == expected
    assert c.get(f"/api/land/parcels/{parcel.pk}/").status_code == (200 if expected == 200 else 404)


BODY = {"code": "N-1", "name": "新地块", "area_text": "2公顷", "status": "reserve"}


@pytest.mark.parametrize(("role", "unit", "status"), [
    ("land", "land", 201), ("land", "agri", 403), ("admin", "agri", 201),
    ("leader", "land", 403), ("supervisor", "land", 403), ("invest", "land", 403),
])
def test_who_registers_parcels_through_the_api(client, zone, units, land_unit, role, unit, status):
    target = land_unit if unit == "land" else units["agri"]
    response = signed_in(client, zone[role]).post("/api/land/parcels/", {**BODY, "unit": target.pk},
                                                content_type="application/json")
    assert response.status_code == status, response.json()
    if status == 201:
        assert (response.json()["area_mu"], response.json()["area_text"]) == ("30.00", "2公顷")
    else:
        assert response.json()["message"] and not Parcel.objects.filter(code="N-1").exists()


def test_an_edit_needs_the_version_and_a_stale_one_is_a_409(client, zone):
    c = signed_in(client, zone["land"])
    parcel = Parcel.objects.get(code="L-1")
    url = f"/api/land/parcels/{parcel.pk}/"
    assert c.patch(url, {"holder": "甲公司"}, content_type="application/json").status_code == 400
    ok = c.patch(url, {"holder": "甲公司", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = c.patch(url, {"holder": "乙公司", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    bad = c.patch(url, {"area_text": "很大", "version": 2}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "area_text" and "不是面积" in bad.json()["message"]
    assert Parcel.objects.get(pk=parcel.pk).holder == "甲公司"


def test_the_detail_page_shows_the_history_of_changes(client, zone):
    parcel = Parcel.objects.get(code="L-1")
    services.parcel_update(actor=zone["land"], parcel=parcel, data={"area_text": "8000平方米"})
    text = signed_in(client, zone["leader"]).get(f"/land/{parcel.pk}/").content.decode()
    assert "面积（亩）：100 → 12" in text and "面积（原文）：100亩 → 8000平方米" in text


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("land", 403), ("leader", 403)])
def test_only_the_administrator_puts_a_polygon_through_the_api(client, zone, role, status):
    parcel = Parcel.objects.get(code="L-1")
    response = signed_in(client, zone[role]).put(f"/api/land/parcels/{parcel.pk}/geometry/", {"geometry": SQUARE},
                                               content_type="application/json")
    assert response.status_code == status
    assert (Parcel.objects.get(pk=parcel.pk).geometry is not None) == (status == 200)


def test_the_page_upload_refuses_bad_geometry_in_chinese(client, zone):
    parcel = Parcel.objects.get(code="L-1")
    upload = io.BytesIO(b'{"type": "Point", "coordinates": [121, 31]}')
    upload.name = "p.geojson"
    response = signed_in(client, zone["admin"]).post(f"/land/{parcel.pk}/geometry/", {"file": upload}, follow=True)
    assert "几何类型为 Point，地块边界应为面" in response.content.decode()
    assert Parcel.objects.get(pk=parcel.pk).geometry is None


def test_the_export_writes_the_filtered_rows(client, zone):
    assert_export_filtered(signed_in(client, zone["leader"]), "/land/export.xlsx?status=supplied",
                           kept="L-1", dropped="A-1", caption="状态：已供")


def test_quotas_are_kept_by_land_editors_and_read_by_leaders(client, zone):
    created = signed_in(client, zone["land"]).post("/api/land/quotas/", {"year": 2026, "requested_mu": "500"},
                                                 content_type="application/json")
    assert created.status_code == 201
    again = client.post("/api/land/quotas/", {"year": 2026, "requested_mu": "1"}, content_type="application/json")
    assert again.status_code == 400 and "该年度的用地指标已登记" in again.json()["message"]
    assert signed_in(client, zone["leader"]).post("/api/land/quotas/", {"year": 2027, "requested_mu": "1"},
                                                content_type="application/json").status_code == 403
    assert [q["year"] for q in client.get("/api/land/quotas/").json()["results"]] == [2026]
    assert LandQuota.objects.count() == 1


@pytest.mark.parametrize("url", ["/land/", "/land/map/", "/api/land/parcels/", "/land/export.xlsx"])
def test_queries_do_not_grow_with_the_number_of_parcels(client, zone, make_parcel, url):
    c = signed_in(client, zone["leader"])

    def add(n):
        for _ in range(n):
            parcel = make_parcel(planned_use=1, status="built", supply_date="2025-05-05")
            services.parcel_set_geometry(actor=None, parcel=parcel, data=SQUARE)

    add(5)
    few = queries(c, url)
    add(15)
    assert queries(c, url) == few


def test_the_pages_show_dates_as_people_write_them_and_the_original_area_only_when_converted(client, zone):
    parcel = Parcel.objects.get(code="L-1")
    c = signed_in(client, zone["leader"])
    assert "2026-01-05" in c.get("/land/").content.decode()
    assert "原文" not in c.get(f"/land/{parcel.pk}/").content.decode().split("修改记录")[0]
    services.parcel_update(actor=None, parcel=parcel, data={"area_text": "1.2公顷"})
    assert "（原文：1.2公顷）" in c.get(f"/land/{parcel.pk}/").content.decode()
