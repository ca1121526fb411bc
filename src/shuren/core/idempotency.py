"""``Idempotency-Key`` for mutating API requests (IETF draft-ietf-httpapi-idempotency-key-header).

- a replay of a completed request returns the stored response, marked ``Idempotent-Replayed: true``;
- the same key with a different method, path or body answers 422;
- a retry while the first request is still running answers 409;
- a view that sets ``idempotency_required = True`` answers 400 without a key.
The claim is committed before the view runs; the view's writes and the stored response commit in
one transaction, so a crash leaves either both or neither. A failed request (exception or 5xx)
releases its claim so that the client may retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import problem_response
from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIXES = ("/api/", "/open311/")
STORED_HEADERS = ("Content-Type", "ETag", "Location", "Content-Language")


def principal_of(request: HttpRequest) -> str:
    """Who owns the key: the session user, else the credentials presented, else nobody."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    return "anonymous"


def fingerprint_of(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b"\n" + request.get_full_path().encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body or b""), status=record.response_status or 200)
    for name, value in (record.response_headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in MUTATING or not request.path.startswith(PREFIXES):
            return None
        key = request.META.get(HEADER, "").strip()
        view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
        required = getattr(view_class, "idempotency_required", False) or getattr(view, "idempotency_required", False)
        if not key:
            if required:
                return problem_response(
                    400, _("This request needs an Idempotency-Key header."), "idempotency-key-missing"
                )
            return None
        if len(key) > 255:
            return problem_response(
                400, _("The Idempotency-Key may have at most 255 characters."), "idempotency-key-invalid"
            )
        return self._run_once(request, view, args, kwargs, key)

    def _run_once(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any, key: str
    ) -> HttpResponse:
        principal = principal_of(request)
        fingerprint = fingerprint_of(request)
        now = timezone.now()
        record = self._claim(principal, key, request, fingerprint, now)
        if isinstance(record, HttpResponse):
            return record
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code >= 500:
                    raise _ServerError(response)
                headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
                updated = IdempotencyRecord.objects.filter(pk=record.pk, status=IdempotencyRecord.IN_FLIGHT).update(
                    status=IdempotencyRecord.COMPLETED,
                    response_status=response.status_code,
                    response_headers=headers,
                    response_body=bytes(response.content),
                )
                if not updated:  # our lease expired and another request took the key over
                    raise _LostClaim()
        except _ServerError as failure:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return failure.response
        except _LostClaim:
            return problem_response(
                409, _("A retry of this request took over; check its outcome."), "idempotency-key-in-use"
            )
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        return response

    def _claim(
        self, principal: str, key: str, request: HttpRequest, fingerprint: str, now: dt.datetime
    ) -> IdempotencyRecord | HttpResponse:
        ttl = dt.timedelta(hours=getattr(settings, "SHUREN_IDEMPOTENCY_TTL_HOURS", 24))
        lease = dt.timedelta(seconds=getattr(settings, "SHUREN_IDEMPOTENCY_LEASE_SECONDS", 60))
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return IdempotencyRecord.objects.create(
                        principal=principal,
                        key=key,
                        method=request.method,
                        path=request.get_full_path()[:500],
                        fingerprint=fingerprint,
                        created_at=now,
                        expires_at=now + ttl,
                    )
            except IntegrityError:
                pass
            existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
            if existing is None:
                continue  # released between our insert and our read: try again
            if existing.expires_at <= now or (
                existing.status == IdempotencyRecord.IN_FLIGHT and existing.created_at <= now - lease
            ):
                # Expired, or abandoned by a crashed request: take it over.
                IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
                continue
            if existing.fingerprint != fingerprint:
                return problem_response(
                    422, _("This Idempotency-Key was used for a different request."), "idempotency-key-reused"
                )
            if existing.status == IdempotencyRecord.IN_FLIGHT:
                return problem_response(
                    409, _("A request with this Idempotency-Key is still being processed."), "idempotency-key-in-use"
                )
            return _replay(existing)
        return problem_response(
            409, _("A request with this Idempotency-Key is still being processed."), "idempotency-key-in-use"
        )


class _ServerError(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class _LostClaim(Exception):
    pass


def purge_expired_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
