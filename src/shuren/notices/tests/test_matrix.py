"""The scoping matrix for the notices' routes alone (the project's matrix runs on SQLite only): for
every role, another community's notice, household or group robot is refused (403/404/405) and
never shown; a role holding the action over community A reaches A's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.routes import all_routes, declared_permission

from shuren.accounts.models import RoleGrant
from shuren.accounts.roles import Role, actions_for
from shuren.core.permissions import PUBLIC
from shuren.core.scoping import path_covers
from shuren.notices.testing import MATRIX_ROUTES
from shuren.places.models import Area, AreaKind

DENIED = {403, 404, 405}


@pytest.fixture
def world(tree: dict[str, Area], make_user: Any, notice_actions: None) -> dict[str, Any]:
    other = Area.objects.create(kind=AreaKind.DISTRICT, code="440606", name="顺德区")
    sub_z = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="02", name="北滘镇", parent=other)
    com_z = Area.objects.create(kind=AreaKind.COMMUNITY, code="009", name="碧桂园社区", parent=sub_z)
    Area.objects.create(kind=AreaKind.GRID, code="01", name="碧桂园第1网格", parent=com_z)
    world: dict[str, Any] = {**tree, "com_z": com_z}
    for side in "abz":
        world[f"member_{side}"] = make_user(Role.COMMUNITY_STAFF, world[f"com_{side}"], username=f"member_{side}")
    return world


def _covers(user: Any, action: str, scope: str) -> bool:
    grants = RoleGrant.objects.active().filter(user=user).select_related("area")
    paths = [g.area.path if g.area is not None else "" for g in grants if action in actions_for(g.role)]
    return any(path_covers(p, scope) for p in paths)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_no_notices_route_reaches_another_communitys_objects(
    role, world, user_for_role, verified_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = user_for_role(role)
    client = verified_client(user)
    routes = [r for r in all_routes() if r.name in MATRIX_ROUTES]
    assert {r.name for r in routes} == set(MATRIX_ROUTES)
    for route in routes:
        action = declared_permission(route.callback)
        factory = MATRIX_ROUTES[route.name]
        for side in "bz":
            kwargs, scope = factory(world, side)
            response = client.get(reverse(route.name, kwargs=kwargs))
            assert response.status_code < 500, (route.name, side)
            if action != PUBLIC and not _covers(user, action, scope):
                assert response.status_code in DENIED, (route.name, role, side, response.status_code)
                for method in ("post", "patch", "put", "delete"):
                    changed = getattr(client, method)(
                        reverse(route.name, kwargs=kwargs), data={}, content_type="application/json", HTTP_IF_MATCH="*"
                    )
                    assert changed.status_code in DENIED, (route.name, role, side, method, changed.status_code)
        kwargs_a, scope_a = factory(world, "a")
        if action != PUBLIC and _covers(user, action, scope_a):
            response = client.get(reverse(route.name, kwargs=kwargs_a))
            assert response.status_code in (200, 302, 405), (route.name, role, response.status_code)
