"""Ids typed into URLs and forms never cause a server error."""

import pytest
from django.urls import reverse

from yuanqu.core.ids import parse_id

from ..factories import PASSWORD

BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "raw,expected",
    [("12", 12), (" 7 ", 7), (5, 5), ("0", None), ("-3", None), ("abc", None), ("１２", None), (BIG, None),
     (2**63, None), (2**63 - 1, 2**63 - 1), (None, None), ("", None), (True, None)],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "method,url,data",
    [
        ("get", "/targets/", {"section": BIG}),
        ("get", "/targets/", {"unit": BIG, "plan": "abc"}),
        ("get", "/reports/export/targets.xlsx", {"section": BIG, "unit": BIG}),
        ("get", "/supervision/", {"lead_unit": BIG}),
        ("get", "/reports/export/supervision.xlsx", {"lead_unit": BIG}),
        ("post", "/notifications/read/", {"id": BIG}),
    ],
)
def test_huge_or_malformed_ids_answer_without_a_server_error(client, plan, users, method, url, data):
    client.login(username=users["agri"].username, password=PASSWORD)
    response = getattr(client, method)(url, data)
    assert response.status_code in {200, 302, 404}


def test_a_malformed_version_is_a_message_not_a_crash(client, plan, users):
    t = plan.targets.get(title__startswith="招引项目")
    client.login(username=users["supervisor"].username, password=PASSWORD)
    response = client.post(reverse("plans:target_metric", args=[t.pk]),
                           {"metric": "plans.ledger_done", "params": f"target={t.pk}", "expected_version": "abc"})
    assert response.status_code == 200 and "版本号“abc”无效" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [f"/targets/{BIG}/", f"/supervision/{BIG}/", f"/api/plans/targets/{BIG}/", f"/api/plans/reports/{BIG}/",
     f"/attachments/{BIG}/", f"/assessment/runs/{BIG}/"],
)
def test_huge_ids_in_urls_are_not_found(client, plan, users, url):
    client.login(username=users["supervisor"].username, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_huge_ids_in_api_bodies_are_a_400(plan, users):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["supervisor"])
    response = client.post("/api/plans/reports/", {"target": BIG, "period": "2026-01", "narrative": "x", "value": "1"},
                           format="json")
    assert response.status_code == 400
    response = client.post("/api/plans/ledger-items/", {"target": BIG, "name": "x"}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_pick_takes_a_record_or_its_id_and_names_the_field_of_one_that_does_not_exist(units):
    from yuanqu.core.errors import ApplicationError
    from yuanqu.core.ids import pick
    from yuanqu.org.models import OrgUnit

    unit = next(iter(units.values()))
    assert pick(OrgUnit.objects.all(), unit, field="unit", label="单位") is unit
    assert pick(OrgUnit.objects.all(), str(unit.pk), field="unit", label="单位") == unit
    assert pick(OrgUnit.objects.all(), "", field="unit", label="单位") is None
    for raw in (BIG, "abc", unit.pk + 10_000):
        with pytest.raises(ApplicationError) as caught:
            pick(OrgUnit.objects.exclude(pk=unit.pk) if raw == unit.pk else OrgUnit.objects.all(), raw,
                 field="unit", label="单位")
        assert caught.value.field == "unit" and caught.value.message == f"单位“{raw}”不存在。"
    with pytest.raises(ApplicationError):
        pick(OrgUnit.objects.exclude(pk=unit.pk), unit.pk, field="unit", label="单位")  # outside the given rows
