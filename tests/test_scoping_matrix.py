"""The scoping matrix (SECURITY.md AUTHZ 6, test S3): every route x every role x two communities.

Each role is granted inside community A (or system-wide for the admin roles). For every route the
test proves that nothing from community B (same district) or community Z (another district) is
listed, shown (404), changed or exported unless the role's grants cover it; and, as a control, that
roles which do hold the route's action reach community A's objects.

The same walk proves that personal numbers never reach a role without the reveal permission
(SECURITY.md PII): the people, accounts and appeals the walk shows carry known mobile and ID numbers
(tests/test_pii_exposure.py), and no response to such a role holds one in any written form.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.urls import reverse

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role, actions_for
from shuren.appeals.models import Appeal
from shuren.core.permissions import AUTHENTICATED, PUBLIC
from shuren.core.pii import REVEAL_ACTION
from shuren.core.scoping import path_covers
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind
from tests.routes import Route, all_routes, declared_permission
from tests.scoped_objects import BODY_ID_CASES, OBJECT_ROUTES
from tests.test_pii_exposure import PEOPLE, SCHEMA_ROUTES, id_number, leaks, mobile_number

MARKERS = {"b": "金旗峰", "z": "碧桂园"}
DENIED = {403, 404, 405}
MUTATING = ("post", "patch", "put", "delete")


@pytest.fixture
def world(tree: dict[str, Area], make_user: Any) -> dict[str, Any]:
    other = Area.objects.create(kind=AreaKind.DISTRICT, code="440606", name="顺德区")
    sub_z = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="02", name="北滘镇", parent=other)
    com_z = Area.objects.create(kind=AreaKind.COMMUNITY, code="009", name="碧桂园社区", parent=sub_z)
    Area.objects.create(kind=AreaKind.GRID, code="01", name="碧桂园第1网格", parent=com_z)
    world: dict[str, Any] = {**tree, "com_z": com_z}
    for side in "abz":
        community = world[f"com_{side}"]
        world[f"member_{side}"] = make_user(Role.COMMUNITY_STAFF, community, username=f"member_{side}")
        world[f"member_{side}"].full_name = f"{community.name}工作人员"
        world[f"member_{side}"].save()
    return world


@pytest.fixture
def numbered(world: dict[str, Any]) -> dict[str, Any]:
    """Numbers on everyone the matrix shows: residents, the members' accounts, appeals' reporters."""
    secrets: list[str] = []
    serial = 0
    for side in "abz":
        community = world[f"com_{side}"]
        for suffix in PEOPLE:
            serial += 1
            Person.objects.create(
                community=community,
                name=f"{community.name}{suffix}",
                phone=mobile_number(serial),
                id_number=id_number(serial),
            )
            secrets += [mobile_number(serial), id_number(serial)]
        serial += 1
        member = world[f"member_{side}"]
        member.phone = "+86" + mobile_number(serial)
        member.save()
        secrets.append(mobile_number(serial))
    # Community A's people live in its first grid, where the grid-level roles are granted.
    Person.objects.filter(community=world["com_a"]).update(scope=world["grid_a1"].path)
    # Create every matrix object now, then give the appeals a reporter with a number.
    for factory in set(OBJECT_ROUTES.values()):
        for side in "abz":
            factory(world, side)
    for appeal in Appeal.objects.all():
        serial += 1
        appeal.reporter_name = "报告人"
        appeal.reporter_phone = "+86" + mobile_number(serial)
        appeal.save(update_fields=["reporter_name", "reporter_phone"])
        secrets.append(mobile_number(serial))
    return {"world": world, "secrets": secrets}


def _body_text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
        )
    return raw.decode("utf-8", errors="replace")


def _grant_paths(user: User, action: str) -> list[str]:
    return [
        g.area.path if g.area_id else ""
        for g in RoleGrant.objects.active().filter(user=user)
        if action in actions_for(g.role)
    ]


def _covers(user: User, action: str, scope: str | None, *, paths: list[str] | None = None) -> bool:
    """Whether the user's grants allow ``action`` on an object with ``scope`` ("" = not a place);
    ``paths``: the user's grant paths for ``action``, when already read."""
    if action in (PUBLIC, AUTHENTICATED):
        return False
    if paths is None:
        paths = _grant_paths(user, action)
    if scope == "":
        return "" in paths
    return any(path_covers(p, scope) for p in paths)


def _routes() -> list[Route]:
    return [r for r in all_routes() if not r.name.startswith(("healthz", "readyz"))]


def _client_for(verified_client: Any, user: User) -> Any:
    return verified_client(user)


@pytest.mark.single_pass
@pytest.mark.slow
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_no_route_lists_shows_changes_or_exports_outside_the_roles_scope(
    role: str, numbered: dict[str, Any], user_for_role: Any, verified_client: Any
) -> None:
    world, secrets = numbered["world"], numbered["secrets"]
    user = user_for_role(role)
    client = _client_for(verified_client, user)
    checked = 0
    may_reveal = REVEAL_ACTION in actions_for(Role(role))

    def no_numbers(route: Route, body: str) -> None:
        """No personal number in the body, unless the role may reveal them (or the route describes
        the API, with no data in it)."""
        if not may_reveal and route.name not in SCHEMA_ROUTES and not route.name.startswith("^"):
            assert not leaks(body, secrets), (route.name, role, "personal number shown")

    # Each sample object is made once (several routes show the same one); the requests below read
    # it or are refused, so it stays as made.
    made: dict[tuple[Any, str], tuple[dict[str, Any], str]] = {}
    grants: dict[str, list[str]] = {}  # the user's grant paths per action, read once

    def covers(action: str, scope: str | None) -> bool:
        if action not in grants:
            grants[action] = _grant_paths(user, action)
        return _covers(user, action, scope, paths=grants[action])

    def sample(factory: Any, side: str) -> tuple[dict[str, Any], str]:
        if (factory, side) not in made:
            made[factory, side] = factory(world, side)
        return made[factory, side]

    for route in _routes():
        action = declared_permission(route.callback)
        assert action is not None, f"{route.name} declares no permission"
        if route.converters:
            factory = OBJECT_ROUTES[route.name]
            kwargs_a, scope_a = sample(factory, "a")
            probed = False
            for side in "bz":
                kwargs, scope = sample(factory, side)
                url = reverse(route.name, kwargs=kwargs)
                covered = covers(action, scope)
                response = client.get(url)
                assert response.status_code < 500, (route.name, role, response.status_code)
                body = _body_text(response)  # read once: an export streams
                no_numbers(route, body)
                if not covered and action != PUBLIC:
                    assert response.status_code in DENIED, (route.name, role, side, response.status_code)
                    assert MARKERS[side] not in body, (route.name, role, side)
                    if probed:
                        # Writes go through the same guard on every foreign object: they are probed
                        # on the nearest side the role does not cover (B, the same district, else Z).
                        continue
                    probed = True
                    for method in MUTATING:
                        # A fresh Idempotency-Key each time: routes that require one must still
                        # answer 403/404/405, not 400 for a missing key.
                        changed = getattr(client, method)(
                            url,
                            data={"name": "篡改"},
                            content_type="application/json",
                            HTTP_IF_MATCH="*",
                            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
                        )
                        assert changed.status_code in DENIED, (route.name, role, side, method, changed.status_code)
                checked += 1
            # Control: a role holding the action over community A does reach A's object (and what it
            # is shown there holds no personal number it may not read); so does anyone a public or
            # signed-in-only page is open to.
            if covers(action, scope_a) or action in (PUBLIC, AUTHENTICATED):
                response = client.get(reverse(route.name, kwargs=kwargs_a))
                assert response.status_code < 500, (route.name, role, response.status_code)
                if action not in (PUBLIC, AUTHENTICATED):
                    assert response.status_code in (200, 302, 405), (route.name, role, response.status_code)
                no_numbers(route, _body_text(response))
        else:
            response = client.get(reverse(route.name) if not route.name.startswith("^") else route.pattern)
            assert response.status_code < 500, (route.name, role, response.status_code)
            body = _body_text(response)  # read once: an export streams
            no_numbers(route, body)
            text = body if response.status_code == 200 else ""
            for side in "bz":
                scope = world[f"com_{side}"].path
                if not covers(action, scope):
                    assert MARKERS[side] not in text, (route.name, role, side)
            checked += 1
    assert checked > 0
    # The foreign communities are untouched.
    assert Area.objects.get(pk=world["com_b"].pk).name == "金旗峰社区"
    assert Area.objects.get(pk=world["com_z"].pk).name == "碧桂园社区"


def test_district_staff_see_both_communities_of_their_district(
    world: dict[str, Any], user_for_role: Any, verified_client: Any
) -> None:
    """The positive side of the matrix: a district grant covers community B but not district Z."""
    client = verified_client(user_for_role(Role.DISTRICT_STAFF))
    text = client.get(reverse("places:area_list") + "?q=社区").content.decode()
    assert MARKERS["b"] in text
    assert MARKERS["z"] not in text
    assert client.get(reverse("places:area_detail", kwargs={"pk": world["com_z"].pk})).status_code == 404


def _body_cases(world: dict[str, Any]) -> list[Any]:
    return [case for make in BODY_ID_CASES for case in make(world)]


def test_ids_in_a_request_body_resolve_within_the_callers_scope(world: dict[str, Any], verified_client: Any) -> None:
    """Every write that names an object or a user by id: community A's staff member naming one of
    community B or of district Z is refused as not found (404, or 400 where the field says so) and
    nothing is written; naming one of A (the control) is accepted."""
    client = verified_client(world["member_a"])
    cases = _body_cases(world)
    assert cases
    for case in cases:
        for side in "bz":
            before = case.written()
            response = case.request(client, side)
            if case.field and response.status_code == 200:
                form = response.context["form"]
                assert case.field in form.errors, (case.name, side, form.errors)
            else:
                refused = (case.name, side, response.status_code, response.content[:300])
                assert response.status_code in (400, 404), refused
            assert case.written() == before, (case.name, side)
            assert MARKERS[side] not in _body_text(response), (case.name, side)
        before = case.written()
        response = case.request(client, "a")
        accepted = (302,) if case.field else (200, 201)
        assert response.status_code in accepted, (case.name, response.status_code, response.content[:300])
        assert case.written() == before + 1, case.name
