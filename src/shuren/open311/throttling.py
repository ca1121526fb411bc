"""Rate limit for the Open311 endpoints: DRF's throttle (cache-backed, per client address), keyed
by the address the project trusts (``core.middleware.client_ip``, which honours only the
configured number of proxies) rather than any X-Forwarded-For a caller sends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from shuren.core.middleware import client_ip

DEFAULT_RATE = "120/min"


class Open311RateThrottle(SimpleRateThrottle):
    scope = "open311"

    def get_rate(self) -> str:
        return str(getattr(settings, "SHUREN_OPEN311_RATE", DEFAULT_RATE))

    def allows(self, request: HttpRequest) -> bool:
        """Whether a plain Django request (the Open311 views are no DRF views) may go on."""
        return bool(self.allow_request(request, None))  # type: ignore[arg-type]  # only client_ip reads the request

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
