"""The OpenAPI schema: generated with no warnings, valid, served, and honest about what is offered."""

import yaml
from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yml"
    # Raises CommandError on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    ours = ("/api/plans/", "/api/targets/", "/api/ledger-items/", "/api/reports/")
    methods = {path: set(ops) - {"parameters"} for path, ops in paths.items() if path.startswith(ours)}
    assert methods == {
        "/api/plans/": {"get"},
        "/api/plans/{id}/": {"get"},
        "/api/plans/import/": {"post"},
        "/api/plans/{id}/activate/": {"post"},
        "/api/plans/{id}/close/": {"post"},
        "/api/plans/{id}/assign/": {"post"},
        "/api/targets/": {"get", "post"},
        "/api/targets/{id}/": {"get", "patch", "delete"},  # PATCH only: a partial edit carries its version
        "/api/ledger-items/": {"get", "post"},
        "/api/ledger-items/{id}/": {"get", "patch", "delete"},
        "/api/reports/": {"get", "post"},
        "/api/reports/{id}/": {"get"},  # append-only
        "/api/reports/{id}/accept/": {"post"},
        "/api/reports/{id}/return/": {"post"},
    }
    status_param = next(p for p in paths["/api/targets/"]["get"]["parameters"] if p["name"] == "status")
    assert status_param["schema"]["enum"] == ["done", "green", "not_started", "red", "yellow"]


def test_schema_is_served(client_as, users):
    response = client_as("leader").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/targets/" in response.content
