"""Every view declares who may use it. A meta-test fails when a URL pattern lacks a declaration.

Function views use ``@requires(action)``, ``@authenticated`` or ``@public``; class-based views set
``permission_action``. API views set ``permission_classes`` explicitly (see shuren.api.permissions).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .errors import NotPermitted, OutOfScope
from .scoping import has_action

PUBLIC = "public"
AUTHENTICATED = "authenticated"

View = Callable[..., HttpResponseBase]


def signed_in(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in user of a request a declaration has let through (typed as Django's abstract
    user: core sits beneath accounts; apps use ``shuren.accounts.acting.acting_user``)."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        raise PermissionDenied
    return user


def _mark(view: Any, permission: str) -> Any:
    view.shuren_permission = permission
    return view


def public(view: View) -> View:
    """Open to everyone, signed in or not (login page, health checks, public boards)."""
    return _mark(view, PUBLIC)


def authenticated(view: View) -> View:
    """Any signed-in user; the view itself shows only the user's own things."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _translate_domain_errors(view, request, *args, **kwargs)

    return _mark(wrapper, AUTHENTICATED)


def requires(action: str, *more: str) -> Callable[[View], View]:
    """The user must hold a role that allows ``action`` (or any of ``more``) somewhere; objects are
    then checked with ``core.scoping.require`` inside the view (OutOfScope -> 404). A page shared by
    the desk and the handlers names both: ``@requires("appeals.view", "appeals.handle")``; the first
    action is the one the route walker reports."""
    actions = (action, *more)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_action(request.user, name) for name in actions):
                _audit_denied(request, action)
                raise PermissionDenied
            return _translate_domain_errors(view, request, *args, **kwargs)

        wrapper.shuren_permissions = actions  # type: ignore[attr-defined]  # a marker the route walker reads
        return _mark(wrapper, action)

    return decorator


def _translate_domain_errors(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    try:
        return view(request, *args, **kwargs)
    except OutOfScope:
        _audit_denied(request, "out_of_scope")
        raise Http404 from None
    except NotPermitted:
        _audit_denied(request, "not_permitted")
        raise PermissionDenied from None


def _audit_denied(request: HttpRequest, what: str) -> None:
    from .auditing import record_event

    record_event(
        "authz.denied",
        request=request,
        outcome="denied",
        detail={"path": request.path, "method": request.method, "check": what},
    )
