"""Bodies the API cannot read answer 400 (413 when too large) as problem+json on every route, never a
server error: JSON nested thousands of levels deep, text that is not UTF-8, numbers no database
holds, unknown character sets, malformed forms. Open311 answers them in its own error format."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.accounts.roles import Role
from shuren.accounts.services import issue_api_token
from shuren.api.parsers import MAX_DEPTH, JSONParser
from shuren.places.models import Area

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
DEEP = b"[" * 5000 + b"]" * 5000
UNREADABLE = {
    "nested 5,000 levels": (DEEP, "application/json"),
    "objects nested 100,000 levels": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "application/json"),
    "nested just beyond the limit": (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "application/json"),
    "not UTF-8": (b'{"name": "\xff\xfe"}', "application/json"),
    "not JSON": (b'{"name": ', "application/json"),
    "a float beyond double": (b'{"parent": 1e999}', "application/json"),
    "an integer beyond bigint": (b'{"parent": 99999999999999999999}', "application/json"),
    "an integer of 5,000 digits": (b'{"parent": ' + b"9" * 5000 + b"}", "application/json"),
    "NaN": (b'{"parent": NaN}', "application/json"),
}


@pytest.fixture
def staff(user_for_role):
    _token, key = issue_api_token(user=user_for_role(Role.COMMUNITY_SECRETARY), name="test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize("name", UNREADABLE)
def test_an_unreadable_json_body_is_a_400_problem(staff, tree, name):
    body, content_type = UNREADABLE[name]
    for key in ("first", "retry"):  # the key is read first: the answer does not depend on it
        response = staff.generic("POST", "/api/v1/areas/", body, content_type=content_type, HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 400, (name, response.content[:300])
        assert response["Content-Type"] == PROBLEM
        assert response.json()["type"].endswith("/parse-error")
    assert not Area.objects.filter(parent=tree["com_a"], kind="grid").exclude(code__in=["01", "02"]).exists()
    # A route without an Idempotency-Key: DRF's parser itself.
    response = Client().generic("POST", "/api/v1/auth/token/", body, content_type=content_type)
    assert response.status_code == 400, (name, response.content[:300])
    assert response.json()["type"].endswith("/parse-error")


def test_a_json_body_larger_than_the_limit_is_a_413_problem(staff, tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"parent": tree["com_a"].pk, "code": "09", "name": "x" * 2000}).encode()
    response = staff.generic("POST", "/api/v1/areas/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM


def test_an_unknown_charset_is_read_as_utf_8(staff, tree):
    body = json.dumps({"parent": tree["com_a"].pk, "code": "07", "name": "第七网格"}).encode()
    content_type = "application/json; charset=no-such-charset"
    response = staff.generic("POST", "/api/v1/areas/", body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 201 and Area.objects.get(code="07", parent=tree["com_a"]).name == "第七网格"


def test_a_wrong_content_type_is_a_415_problem(staff, tree):
    response = staff.generic("POST", "/api/v1/areas/", b"parent=1", content_type="text/plain", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 415 and response["Content-Type"] == PROBLEM


def every_mutating_route(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    routes = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"post", "put", "patch"} and "application/json" in operation.get("requestBody", {}).get(
                "content", {}
            ):
                routes.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return routes


def test_deep_json_is_a_client_error_on_every_route_that_takes_json(staff, tree):
    routes = every_mutating_route(staff)
    assert len(routes) > 40
    for method, path in routes:
        response = staff.generic(method, path, DEEP, content_type="application/json")
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert response["Content-Type"] == PROBLEM, (method, path)


def test_every_view_that_takes_json_parses_it_with_the_api_parser():
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    for callback in views(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        for parser in getattr(view_class, "parser_classes", []):
            if parser.media_type == "application/json":
                assert issubclass(parser, JSONParser), (view_class, parser)


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(min_value=1, max_value=3000), kind=st.sampled_from(["[", "{"]))
def test_the_parser_takes_shallow_json_and_refuses_deep_json(depth, kind):
    from io import BytesIO

    from rest_framework.exceptions import ParseError

    opening, closing = ('{"a":', "}") if kind == "{" else ("[", "]")
    body = (opening * depth + "1" + closing * depth).encode()
    if depth <= MAX_DEPTH:
        assert JSONParser().parse(BytesIO(body)) is not None
    else:
        with pytest.raises(ParseError):
            JSONParser().parse(BytesIO(body))


OPEN311_BROKEN = {
    "a boundary too long": (b"--x", "multipart/form-data; boundary=" + "x" * 300),
    "a multipart without boundary": (b"whatever", "multipart/form-data"),
    "too many fields": (b"&".join(b"f%d=1" % n for n in range(3000)), "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("name", OPEN311_BROKEN)
def test_open311_answers_an_unreadable_post_with_its_own_400(client, name):
    body, content_type = OPEN311_BROKEN[name]
    response = client.generic("POST", "/open311/v2/requests.json", body, content_type=content_type)
    assert response.status_code == 400, (name, response.content[:300])
    assert response.json()[0]["code"] == 400
