"""API permissions. Every API view sets ``permission_classes`` itself; the default refuses all."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from shuren.core.scoping import has_action


class DenyByDefault(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return False


class PublicEndpoint(BasePermission):
    """Explicitly open to everyone (schema, docs, public boards)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return True


def HasAction(action: str) -> type[BasePermission]:  # noqa: N802 (reads like a class in permission_classes)
    """Permission class: the user holds a role allowing ``action`` somewhere. Objects are then
    filtered with ``core.scoping.visible`` and guarded with ``core.scoping.require``."""

    class _HasAction(BasePermission):
        shuren_action = action

        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated and has_action(request.user, action))

    _HasAction.__name__ = f"HasAction[{action}]"
    return _HasAction


def ActionByMethod(actions: dict[str, str]) -> type[BasePermission]:  # noqa: N802
    """Permission class naming one action per HTTP method (HEAD and OPTIONS follow GET). Methods
    not listed are refused. ``shuren_action`` (the read action) is what the route walker reports."""
    table = {method.upper(): action for method, action in actions.items()}
    for alias in ("HEAD", "OPTIONS"):
        if "GET" in table:
            table.setdefault(alias, table["GET"])

    class _ActionByMethod(BasePermission):
        shuren_action = table.get("GET") or next(iter(table.values()))
        shuren_actions = dict(table)

        def has_permission(self, request: Any, view: Any) -> bool:
            action = table.get(request.method)
            return bool(action and request.user and request.user.is_authenticated and has_action(request.user, action))

    _ActionByMethod.__name__ = "ActionByMethod[" + ",".join(f"{m}={a}" for m, a in table.items()) + "]"
    return _ActionByMethod


def AnyActionByMethod(table: dict[str, tuple[str, ...]]) -> type[BasePermission]:  # noqa: N802
    """Permission class: per HTTP method, the user must hold at least one of the listed actions
    somewhere (HEAD and OPTIONS follow GET). The first GET action is what the route walker reports."""
    actions = {method.upper(): tuple(names) for method, names in table.items()}
    for alias in ("HEAD", "OPTIONS"):
        if "GET" in actions:
            actions.setdefault(alias, actions["GET"])

    class _AnyActionByMethod(BasePermission):
        shuren_action = (actions.get("GET") or next(iter(actions.values())))[0]
        shuren_actions = dict(actions)

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            return any(has_action(user, action) for action in actions.get(request.method, ()))

    _AnyActionByMethod.__name__ = (
        "AnyActionByMethod[" + ",".join(f"{m}={'|'.join(a)}" for m, a in actions.items()) + "]"
    )
    return _AnyActionByMethod
