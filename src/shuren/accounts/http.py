"""The request a signed-in view receives: ``request.user`` is a ``User`` (the views' decorators,
``core.permissions.requires`` and ``authenticated``, have turned anonymous visitors away), and
``request.htmx`` is set by django-htmx's middleware. Views annotate ``request`` with it so that
``actor=request.user`` type-checks against services' ``actor: User``."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
