"""Meta-tests: a new view or API route cannot ship without an explicit permission and without an
entry in the scoping matrix."""

from __future__ import annotations

from shuren.accounts.roles import ALL_ACTIONS
from shuren.core.permissions import AUTHENTICATED, PUBLIC
from tests.routes import all_routes, declared_actions, declared_permission
from tests.scoped_objects import OBJECT_ROUTES


def test_every_route_declares_its_permission() -> None:
    missing = [route.name for route in all_routes() if declared_permission(route.callback) is None]
    assert missing == [], f"routes without an explicit permission: {missing}"


def test_every_declared_action_exists_in_the_role_table() -> None:
    unknown = {
        (route.name, action)
        for route in all_routes()
        if (action := declared_permission(route.callback)) not in (None, PUBLIC, AUTHENTICATED)
        and action not in ALL_ACTIONS
    }
    assert unknown == set(), f"routes naming actions no role holds: {unknown}"


def test_every_action_of_views_declaring_several_exists_in_the_role_table() -> None:
    """``requires(action, *more)`` and the per-method API permissions name several actions: each of
    them, not only the first one the walker reports, must be one some role holds."""
    unknown = {
        (route.name, action)
        for route in all_routes()
        for action in declared_actions(route.callback)
        if action not in ALL_ACTIONS
    }
    assert unknown == set(), f"routes naming actions no role holds: {unknown}"


def test_a_view_requiring_any_of_several_actions_declares_them_all() -> None:
    from shuren.core.permissions import requires

    @requires("appeals.view", "appeals.handle")
    def shared(request):  # pragma: no cover - never called
        return None

    assert declared_permission(shared) == "appeals.view"
    assert declared_actions(shared) == {"appeals.view", "appeals.handle"}


def test_every_route_with_arguments_has_a_matrix_object() -> None:
    missing = [route.name for route in all_routes() if route.converters and route.name not in OBJECT_ROUTES]
    assert missing == [], f"add these routes to tests/scoped_objects.py: {missing}"


def test_public_routes_are_the_expected_few() -> None:
    """Opening a route to anonymous users is a decision: this list changes only on purpose."""
    public = sorted(route.name for route in all_routes() if declared_permission(route.callback) == PUBLIC)
    assert set(public) <= {
        "healthz",
        "readyz",
        "set_language",
        "accounts:login",
        "web:home",
        # Large text on or off: an older person may need it to read the sign-in page itself.
        "web:text_size",
        "api:schema",
        "api:docs",
        "api:auth-token",
        "api:docs-init",
        # 件件有回音: resolved appeals without personal data, for everyone.
        "appeals_board:list",
        "appeals_board:detail",
        # Open311 GeoReport v2: published requests for everyone; POST checks the client's api_key.
        "open311:discovery",
        "open311:services",
        "open311:service_definition",
        "open311:requests",
        "open311:request",
        "open311:token",
        # Residents sign themselves up and reset their password with an SMS code (no account yet).
        "signup:start",
        "signup:verify",
        "signup:account",
        "signup:reset",
        "signup:reset_verify",
        "signup:reset_password",
        # Notices a community marked public, and their Atom feed (texts redacted, no personal data).
        "notices_public:list",
        "notices_public:detail",
        "notices_public:feed",
        # A community's serviceable list: what its units and residents offer, without personal data.
        "lists_public:serviceable",
        # A user's private iCalendar feed: calendar apps cannot sign in; the secret address is the credential.
        "meetings_portal:feed",
    }, public


def test_a_view_without_declaration_is_caught() -> None:
    """The detector itself: a bare function and a bare DRF view are reported."""
    from rest_framework.views import APIView

    def bare(request):  # pragma: no cover - never called
        return None

    class BareApi(APIView):
        pass

    assert declared_permission(bare) is None
    assert declared_permission(BareApi.as_view()) is None
