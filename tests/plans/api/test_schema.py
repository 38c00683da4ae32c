"""The OpenAPI schema: generated with no warnings, valid, served, and honest about what is offered."""

import yaml
from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yml"
    # Raises CommandError on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    ours = ("/api/plans/plans/", "/api/plans/targets/", "/api/plans/ledger-items/", "/api/plans/reports/")
    methods = {path: set(ops) - {"parameters"} for path, ops in paths.items() if path.startswith(ours)}
    assert methods == {
        "/api/plans/plans/": {"get"},
        "/api/plans/plans/{id}/": {"get", "delete"},
        "/api/plans/plans/import/": {"post"},
        "/api/plans/plans/{id}/activate/": {"post"},
        "/api/plans/plans/{id}/close/": {"post"},
        "/api/plans/plans/{id}/assign/": {"post"},
        "/api/plans/plans/{id}/unit-names/": {"get"},
        "/api/plans/plans/{id}/map-unit/": {"post"},
        "/api/plans/targets/": {"get", "post"},
        "/api/plans/targets/{id}/": {"get", "patch", "delete"},  # PATCH only: a partial edit carries its version
        "/api/plans/ledger-items/": {"get", "post"},
        "/api/plans/ledger-items/{id}/": {"get", "patch", "delete"},
        "/api/plans/reports/": {"get", "post"},
        "/api/plans/reports/{id}/": {"get"},  # append-only
        "/api/plans/reports/{id}/accept/": {"post"},
        "/api/plans/reports/{id}/return/": {"post"},
    }
    status_param = next(p for p in paths["/api/plans/targets/"]["get"]["parameters"] if p["name"] == "status")
    assert status_param["schema"]["enum"] == ["done", "green", "not_started", "red", "yellow"]


def test_schema_is_served(client_as, users):
    response = client_as("leader").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/plans/targets/" in response.content
