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
