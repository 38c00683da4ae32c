"""The API: the same scope and rules as the pages."""

import pytest

from yuanqu.indicators import services
from yuanqu.indicators.models import IndicatorCount


@pytest.fixture
def zone(people, places, insured, certified):
    services.count_enter(actor=None, definition=insured, unit=places["e1"], period="2026", values=[90, 100])
    services.count_enter(actor=None, definition=insured, unit=places["w1"], period="2026", values=[0, 0])
    return people


@pytest.mark.parametrize(("role", "codes", "counts"), [
    ("leader", {"insured", "certified"}, 2), ("supervisor", {"insured", "certified"}, 2),
    ("shsy", {"insured"}, 2), ("e1", {"insured", "certified"}, 1), ("invest", set(), 0), ("nounit", set(), 0),
])
def test_definitions_and_counts_by_role(client_as, zone, role, codes, counts):
    c = client_as(role)
    assert {d["code"] for d in c.get("/api/indicators/definitions/").json()} == codes
    assert c.get("/api/indicators/counts/").json()["count"] == counts


def test_values_are_the_zone_the_areas_and_the_villages_read(client_as, zone, insured, places):
    rows = client_as("e1").get(f"/api/indicators/values/?definition={insured.pk}").json()
    by_place = {r["place"]: r for r in rows}
    assert set(by_place) == {"园区", "东片区", "西片区", "东一村"}
    assert by_place["园区"]["value"] == "90.00" and by_place["西片区"]["value"] is None
    assert by_place["园区"]["sums"] == ["90.0000", "100.0000"]
    assert client_as("nounit").get("/api/indicators/values/").status_code == 403
    bad = client_as("leader").get("/api/indicators/values/?period=昨天")
    assert bad.status_code == 400 and bad.json()["field"] == "period"


@pytest.mark.parametrize(("role", "unit", "status"), [
    ("e1", "e1", 201), ("e1", "e2", 403), ("shsy", "w1", 201), ("leader", "e1", 403), ("invest", "e1", 400),
])
def test_who_enters_counts_through_the_api(client_as, zone, insured, places, role, unit, status):
    response = client_as(role).post("/api/indicators/counts/", {
        "definition": insured.pk, "unit": places[unit].pk, "period": "2025", "values": ["40", "50"]}, format="json")
    assert response.status_code == status, response.json()
    if status == 201:
        assert response.json()["value"] == "80.00" and response.json()["revision"] == 1
    assert IndicatorCount.objects.filter(period="2025").count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(("values", "period", "field", "message"), [
    (["-1", "50"], "2025", "values", "参保人数不能为负数"),
    (["60", "50"], "2025", "values", "不能大于应参保人数"),
    (["1", "2"], "2099", "period", "尚未开始"),
    (["1", "2"], "去年", "period", "不是有效的期间"),
])
def test_bad_counts_are_a_400_naming_the_field(client_as, zone, insured, places, values, period, field, message):
    response = client_as("e1").post("/api/indicators/counts/", {
        "definition": insured.pk, "unit": places["e1"].pk, "period": period, "values": values}, format="json")
    assert response.status_code == 400 and response.json()["field"] == field
    assert message in response.json()["message"]
    assert not IndicatorCount.objects.filter(period=period).exists()


def test_the_owner_revises_the_caliber_with_the_version(client_as, zone, insured):
    c = client_as("shsy")
    url = f"/api/indicators/definitions/{insured.pk}/revise/"
    body = {"caliber": "按常住人口", "note": "口径调整"}
    assert c.post(url, body, format="json").status_code == 400  # no version
    ok = c.post(url, {**body, "version": 1}, format="json")
    assert ok.status_code == 200 and [v["number"] for v in ok.json()["versions"]] == [1, 2]
    assert c.post(url, {**body, "caliber": "又改", "version": 1}, format="json").status_code == 409
    assert client_as("agri").post(url, {**body, "version": 2}, format="json").status_code == 403


def test_only_the_administrator_creates_definitions(client_as, zone, places):
    body = {"code": "green", "name": "绿化覆盖率", "owner_unit": places["agri"].pk, "period_kind": "year",
            "level": "zone", "unit": "%", "caliber": "绿化面积 ÷ 总面积", "formula": "ratio",
            "variables": ["绿化面积", "总面积"], "multiplier": "100"}
    assert client_as("agri").post("/api/indicators/definitions/", body, format="json").status_code == 403
    created = client_as("admin").post("/api/indicators/definitions/", body, format="json")
    assert created.status_code == 201 and created.json()["current"]["formula_text"] == "绿化面积 ÷ 总面积 × 100"
