"""Every app's API under /api/<app>/, and HTML that varies on HX-Request."""

import pytest
from django.urls import Resolver404, resolve, reverse

from yuanqu.core.routing import api_urlpatterns


def test_each_app_with_api_urls_is_mounted_under_its_label():
    assert sorted(str(p.pattern) for p in api_urlpatterns()) == [
        "api/approvals/", "api/chains/", "api/cleanup/", "api/disputes/", "api/enterprises/", "api/grid/",
        "api/indicators/", "api/inspections/", "api/investment/", "api/land/", "api/party/", "api/plans/",
        "api/projects/", "api/supervision/", "api/visits/"]
    assert resolve("/api/chains/nodes/").namespace == "chains-api"
    assert resolve("/api/plans/targets/").namespace == "plans-api"
    assert resolve("/api/supervision/items/").namespace == "supervision-api"
    assert resolve("/api/land/parcels/").namespace == "land-api"
    assert resolve("/api/projects/projects/").namespace == "projects-api"
    assert resolve("/api/approvals/cases/").namespace == "approvals-api"
    assert resolve("/api/grid/events/").namespace == "grid-api"
    with pytest.raises(Resolver404):
        resolve("/api/nothing-here/")


@pytest.mark.parametrize("old, new", [
    ("/api/targets/?status=red", "/api/plans/targets/?status=red"),
    ("/api/targets/7/", "/api/plans/targets/7/"),
    ("/api/plans/3/assign/", "/api/plans/plans/3/assign/"),
    ("/api/reports/", "/api/plans/reports/"),
    ("/api/ledger-items/2/", "/api/plans/ledger-items/2/"),
])
def test_the_old_api_addresses_send_clients_on_keeping_method_and_body(client, users, plan, old, new):
    client.force_login(users["supervisor"])
    for method in (client.get, client.post):
        response = method(old)
        assert response.status_code == 308 and response["Location"] == new
    assert resolve(new.split("?")[0]).namespace == "plans-api"


@pytest.mark.parametrize("name", ["plans:target_list", "supervision:list", "plans:review_queue", "core:notifications"])
def test_html_pages_and_their_fragments_vary_on_the_htmx_header(client, users, plan, name):
    client.force_login(users["supervisor"])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(reverse(name), **headers)
        assert response.status_code == 200
        assert "HX-Request" in response["Vary"], name


def test_the_fragment_and_the_page_differ_at_one_url(client, users, plan):
    client.force_login(users["supervisor"])
    page = client.get(reverse("plans:target_list")).content
    fragment = client.get(reverse("plans:target_list"), HTTP_HX_REQUEST="true").content
    assert b"<html" in page and b"<html" not in fragment


def test_downloads_and_api_answers_keep_their_own_vary(client, users, plan):
    client.force_login(users["supervisor"])
    assert "HX-Request" not in client.get(reverse("reports:export_targets")).get("Vary", "")
    assert "HX-Request" not in client.get("/api/plans/targets/").get("Vary", "")
