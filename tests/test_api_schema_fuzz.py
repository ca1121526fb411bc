"""The REST API against its own OpenAPI schema: schemathesis generates requests for every operation
from /api/v1/schema/ and calls the WSGI application with them, signed in as staff. No answer may be
a server error, and every documented answer must match the schema.

The run is bounded (a few derandomized examples per operation), so it takes well under a minute on
either database and finds the same things every time.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from shuren.accounts.roles import Role
from shuren.accounts.services import issue_api_token

EXAMPLES_PER_OPERATION = 5
# Revoking the token the run signs in with would leave every later call unauthenticated.
SKIPPED = {("DELETE", "/api/v1/auth/token/")}


@pytest.fixture
def api_schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = WSGIHandler()
    # As Django's test client does: the test's transaction must survive each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_operation_answers_without_server_errors_and_as_documented(api_schema, user_for_role):
    user = user_for_role(Role.COMMUNITY_SECRETARY)
    _token, key = issue_api_token(user=user, name="schema fuzz")
    headers = {"Authorization": f"Token {key}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50

    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[p for p in settings.default.phases if p.name != "shrink"],
        )
        def run(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except (AssertionError, FailureGroup) as exc:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {exc}"[:2000])

        run()
    assert not failures, "\n\n".join(failures)
