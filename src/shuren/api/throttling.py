"""Request rate limits of the API's sign-in endpoint, per client address (the address the project
trusts, ``core.middleware.client_ip``, not any X-Forwarded-For a caller makes up)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from shuren.core.middleware import client_ip


class AuthRateThrottle(SimpleRateThrottle):
    """Every request to the token endpoint counts, right or wrong (``auth`` rate, default 20/min).
    Failed passwords are limited further by the lockout and address throttle (accounts.credentials)."""

    scope = "auth"

    def get_rate(self) -> str:
        rates: dict[str, str] = getattr(settings, "REST_FRAMEWORK", {})["DEFAULT_THROTTLE_RATES"]
        return str(rates[self.scope])

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
