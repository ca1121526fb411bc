"""Data scoping: the one place that decides which rows a user may see or change.

Every row that belongs to a place carries the materialized path of its Area (``4406.05.017.03``).
A user acts through RoleGrants on Areas; a grant on a community covers its grids and everything in
them. ``visible`` filters every read, ``require`` guards every write. Outside the user's scope the
answer is "not found" (OutOfScope -> 404) so that nobody learns what exists elsewhere.

Core sits beneath accounts in the layers of docs/architecture.md, so it does not import the grants
and roles: the accounts app installs them here when Django starts (``install``), as the audit app
does for ``core.auditing``. Models of the apps above are looked up by name, never imported.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .errors import NotPermitted, OutOfScope

M = TypeVar("M", bound=Model)

# Whoever may be asking: a signed-in user (the project's user model), an anonymous visitor, or none.
Viewer = AbstractBaseUser | AnonymousUser | None

GLOBAL = ""  # the scope path of a system-wide (admin) grant


@dataclass(frozen=True)
class Authority:
    """Who holds which role where, as the accounts app answers it.

    ``grants(user)``: the (role, area path) pairs of the user's active grants, ``None`` as the path
    of a system-wide grant. ``actions_for(role)``: the actions the role allows. ``holders(q)``: the
    ids of the users holding an active grant matching ``q`` (a filter on ``area__path``).
    """

    grants: Callable[[AbstractBaseUser], Iterable[tuple[str, str | None]]]
    actions_for: Callable[[str], Collection[str]]
    holders: Callable[[Q], QuerySet[Any]]


_authority: Authority | None = None


def install(authority: Authority) -> None:
    """Called by the accounts app's ``ready()``."""
    global _authority
    _authority = authority


def _installed() -> Authority:
    if _authority is None:
        raise ImproperlyConfigured("The accounts app is not installed: nobody holds a role.")
    return _authority


def path_covers(prefix: str, path: str) -> bool:
    """True when ``path`` is ``prefix`` itself or lies beneath it."""
    return prefix == GLOBAL or path == prefix or path.startswith(prefix + ".")


def covering_paths(path: str) -> list[str]:
    """``path`` and every path above it, widest first: ``a.b.c`` → ``[a, a.b, a.b.c]``."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _grants(user: Viewer) -> list[tuple[str, str]]:
    """(role, scope path) pairs of the user's active grants, cached on the user object per request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[str, str]] | None = getattr(user, "_shuren_grants", None)
    if cached is None:
        cached = [(role, path or GLOBAL) for role, path in _installed().grants(user)]
        setattr(user, "_shuren_grants", cached)  # noqa: B010  (a per-request cache on the user object)
    return cached


def roles_of(user: Viewer) -> set[str]:
    """The roles the user currently holds, anywhere."""
    return {role for role, _path in _grants(user)}


def forget_grants(user: Viewer) -> None:
    if hasattr(user, "_shuren_grants"):
        delattr(user, "_shuren_grants")


def scope_paths(user: Viewer, action: str) -> list[str]:
    """The area paths under which ``user`` may perform ``action`` (``[""]`` means everywhere)."""
    actions_for = _installed().actions_for
    paths = sorted({path for role, path in _grants(user) if action in actions_for(role)})
    if GLOBAL in paths:
        return [GLOBAL]
    # Drop paths already covered by a shorter one.
    kept: list[str] = []
    for path in paths:
        if not any(path_covers(k, path) for k in kept):
            kept.append(path)
    return kept


def has_action(user: Viewer, action: str) -> bool:
    return bool(scope_paths(user, action))


def scope_field_of(model: type[Model]) -> str:
    field = getattr(model, "scope_field", None)
    if not field:
        raise TypeError(f"{model.__name__} has no scope_field: it cannot be scoped")
    return field


def scope_q(paths: list[str], field: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        if path == GLOBAL:
            return Q()
        query |= Q(**{field: path}) | Q(**{f"{field}__startswith": path + "."})
    return query


def visible(queryset: QuerySet[M], user: Viewer, action: str) -> QuerySet[M]:
    """Rows of ``queryset`` on which ``user`` may perform ``action``; none for anonymous users."""
    paths = scope_paths(user, action)
    if not paths:
        return queryset.none()
    return queryset.filter(scope_q(paths, scope_field_of(queryset.model)))


def scope_of(obj: Model) -> str:
    return getattr(obj, scope_field_of(type(obj))) or ""


def can(user: Viewer, action: str, obj: Model) -> bool:
    path = scope_of(obj)
    return any(path_covers(p, path) for p in scope_paths(user, action))


def require(user: Viewer, action: str, obj: Model) -> None:
    """Raise unless ``user`` may perform ``action`` on ``obj``.

    OutOfScope (404) when the object lies outside every area the user holds a grant on;
    NotPermitted (403) when it lies inside but no grant there allows the action.
    """
    if can(user, action, obj):
        return
    path = scope_of(obj)
    if any(path_covers(p, path) for _role, p in _grants(user)):
        raise NotPermitted()
    raise OutOfScope()


# --- ids in a request -----------------------------------------------------------------------------


def users_within(
    actor: Viewer, action: str, *, also_under: Iterable[str] = (), also_at: Iterable[str] = ()
) -> QuerySet[Any]:
    """Active users ``actor`` may name when performing ``action``: those holding a current grant on
    an area inside the actor's scope for the action, or whose person in the registry lives there.

    ``also_under`` adds areas whose whole subtree counts, ``also_at`` single areas (a meeting also
    reaches its community and the areas above it). Users have no place of their own, so this is how
    an id of a user in a request (an owner, an invitee, a member) is held to the actor's scope.
    """
    User = get_user_model()
    reach = scope_paths(actor, action)
    if GLOBAL in reach:
        return User.objects.filter(is_active=True)
    under = [*reach, *(p for p in also_under if p)]
    at = [p for p in also_at if p]
    if not under and not at:
        return User.objects.none()
    holders = _installed().holders(scope_q(under, "area__path") | Q(area__path__in=at))
    people = _people().filter(scope_q(under, "scope") | Q(scope__in=at)).exclude(user=None)
    return User.objects.filter(Q(pk__in=holders) | Q(pk__in=people.values("user")), is_active=True)


def _people() -> QuerySet[Any]:
    """The registry's people (the people app sits above core: looked up by name)."""
    return apps.get_model("people", "Person")._default_manager.all()


def resolve(actor: Viewer, action: str, queryset: QuerySet[M], pk: Any) -> M:
    """The row ``pk`` of ``queryset`` on which ``actor`` may perform ``action``.

    OutOfScope (404) alike when it does not exist and when it lies outside the actor's scope, so
    an id in a request body never tells what exists elsewhere. Users (who have no place) are held
    to ``users_within``; every other model to its ``scope_field``.
    """
    if pk is None or isinstance(pk, bool):
        raise OutOfScope()
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise OutOfScope() from None
    if queryset.model is get_user_model():
        scoped = queryset.filter(pk__in=users_within(actor, action).values("pk"))
    else:
        scoped = visible(queryset, actor, action)
    obj = scoped.filter(pk=key).first()
    if obj is None:
        raise OutOfScope()
    return obj
