"""Walking the URL configuration: every route, the permission it declares, and sample arguments."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from shuren.core.permissions import AUTHENTICATED, PUBLIC


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (or the pattern when unnamed)
    pattern: str  # the full regex/route text
    callback: Any
    converters: tuple[str, ...]  # kwarg names the route takes

    def reverse_with(self, kwargs: dict[str, Any]) -> str:
        from django.urls import reverse

        return reverse(self.name, kwargs=kwargs or None)


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            pattern = prefix + str(entry.pattern)
            kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern)) + tuple(re.findall(r"\(\?P<(\w+)>", pattern))
            yield Route(name=name or pattern, pattern=pattern, callback=entry.callback, converters=kwargs)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def declared_permission(callback: Any) -> str | None:
    """The action (or public/authenticated) a view declares, or None when it declares nothing.

    Function views: ``shuren_permission`` set by core.permissions decorators. Class-based views:
    ``permission_action``. DRF views: permission classes set on the class itself (the project-wide
    default refuses everything), read from their ``shuren_action`` or named public.
    """
    if getattr(callback, "shuren_permission", None):
        return callback.shuren_permission
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return None
    if getattr(view_class, "permission_action", None):
        return view_class.permission_action
    from rest_framework.views import APIView

    if isinstance(view_class, type) and issubclass(view_class, APIView):
        for klass in view_class.__mro__:
            if klass is APIView:
                return None
            if "permission_classes" in klass.__dict__ or "get_permissions" in klass.__dict__:
                return _drf_action(view_class)
    return None


def _drf_action(view_class: Any) -> str:
    from shuren.api.permissions import PublicEndpoint

    actions = []
    for permission in getattr(view_class, "permission_classes", []):
        if getattr(permission, "shuren_action", None):
            actions.append(permission.shuren_action)
        elif isinstance(permission, type) and issubclass(permission, PublicEndpoint):
            actions.append(PUBLIC)
        else:
            actions.append(AUTHENTICATED)
    return actions[0] if actions else AUTHENTICATED


def declared_actions(callback: Any) -> set[str]:
    """Every action a view may let a caller through with: all those named by
    ``core.permissions.requires(action, *more)`` (``shuren_permissions``), and for DRF views every
    method's action(s) of ``ActionByMethod``/``AnyActionByMethod`` (``shuren_actions``). Public and
    authenticated views declare none."""
    if getattr(callback, "shuren_permissions", None):
        return set(callback.shuren_permissions)
    declared = declared_permission(callback)
    if declared in (None, PUBLIC, AUTHENTICATED):
        return set()
    assert declared is not None
    actions = {declared}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    for permission in getattr(view_class, "permission_classes", []) if view_class is not None else []:
        for named in (getattr(permission, "shuren_actions", None) or {}).values():
            actions.update((named,) if isinstance(named, str) else named)
    return actions


ObjectFactory = Callable[[Any], dict[str, Any]]
