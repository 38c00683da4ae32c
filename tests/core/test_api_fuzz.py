"""The whole API, fuzzed from its own OpenAPI schema (schemathesis), as CI runs it: every operation
of every app, valid and invalid input, as an administrator and as a reporter, through the real WSGI
stack (middleware included). No answer may be a server error, and every answer must be one the
schema declares (status code, content type, body shape); invalid input must be refused.

Bounded and deterministic (derandomized): YUANQU_FUZZ_EXAMPLES raises the number of cases per
operation for a longer run by hand (docs/operations.md)."""

from __future__ import annotations

import base64
import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import PASSWORD
from yuanqu.core.models import IdempotentRequest

EXAMPLES = int(os.environ.get("YUANQU_FUZZ_EXAMPLES", "0"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Cases per operation (valid, invalid) for each role, at most: 74 operations; hypothesis stops early
# on operations with few distinct inputs. About 2,600 requests (86 operations), a minute of CPU on two cores.
BUDGET = {"admin": (12, 8), "village": (6, 4)}


def fuzz(schema, auth: str, valid: int, invalid: int, stats: dict) -> list[str]:
    """Run every operation; return one line per operation that failed (with the reproduction)."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, count in ((GenerationMode.POSITIVE, valid), (GenerationMode.NEGATIVE, invalid)):

            @settings(max_examples=EXAMPLES or count, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                stats["requests"] += 1
                # Each case a first request: hypothesis repeats short Idempotency-Keys ("0"), which
                # would otherwise answer later cases from earlier ones and leave their views unfuzzed.
                IdempotentRequest.objects.all().delete()
                case.call_and_validate(headers={"Authorization": auth}, checks=CHECKS)

            try:
                run()
            except BaseException as exc:  # noqa: BLE001 - every failure is reported, not just the first
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label} [{mode.value}]: {exc}"[:3000])
    return failures


@pytest.fixture
def wsgi_app():
    """The real WSGI application, its connection kept open between requests as Django's test client
    keeps it: the test's data lives in the test's transaction, on PostgreSQL too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
def test_the_api_answers_every_fuzzed_request_as_its_schema_says(users, plan, wsgi_app):
    app = wsgi_app
    admin = "Basic " + base64.b64encode(f"{users['admin'].username}:{PASSWORD}".encode()).decode()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app, headers={"Authorization": admin})
    stats = {"requests": 0}
    started = time.monotonic()
    failures = []
    for role, (valid, invalid) in BUDGET.items():
        auth = "Basic " + base64.b64encode(f"{users[role].username}:{PASSWORD}".encode()).decode()
        failures += [f"{role}: {line}" for line in fuzz(schema, auth, valid, invalid, stats)]
    elapsed = time.monotonic() - started
    print(f"fuzz: {stats['requests']} requests in {elapsed:.0f} s, {len(failures)} failing operations")
    assert not failures, "\n\n".join(failures)
