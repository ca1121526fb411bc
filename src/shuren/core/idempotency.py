"""``Idempotency-Key`` for mutating API requests (IETF draft-ietf-httpapi-idempotency-key-header).

- a replay of a completed request returns the stored response, marked ``Idempotent-Replayed: true``;
- the same key with a different method, path or body answers 422;
- a retry while the first request is still running answers 409;
- a view that sets ``idempotency_required = True`` answers 400 without a key;
- a form body is fingerprinted field by field and file by file, so uploads of any size work.
The key is held, the view runs and its response is stored in one transaction with one commit: a
crash leaves either the writes and the stored answer or neither, and a failed request (exception or
5xx) leaves the key free for a retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
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


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _reads_forms(view: Any) -> bool:
    """Whether ``view`` (a DRF view, or a plain Django view) accepts form bodies."""
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    parser_classes = getattr(view_class, "parser_classes", None)
    if parser_classes is None:
        return True  # a Django view reads request.POST itself
    return any(getattr(parser, "media_type", "") in FORM_TYPES for parser in parser_classes)


def _frame(digest: Any, *parts: bytes) -> None:
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)


def fingerprint_of(request: HttpRequest, *, forms: bool = True) -> str:
    """A digest of the method, path and body. A form body (a POST, when ``forms``) is read the way
    Django parses it, every field and every file chunk by chunk in a canonical order, so that photos
    far larger than DATA_UPLOAD_MAX_MEMORY_SIZE are never held in memory, and the views still find
    the parsed form (DRF takes request.POST and request.FILES once the stream has been read). Any
    other body is read whole, within that size.

    Raises what Django raises for a body it cannot read (RequestDataTooBig, SuspiciousOperation,
    MultiPartParserError)."""
    digest = hashlib.sha256()
    _frame(digest, (request.method or "").encode(), request.get_full_path().encode())
    if forms and request.method == "POST" and (request.content_type or "") in FORM_TYPES:
        _frame(digest, b"form")
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                _frame(digest, b"field", name.encode(), value.encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                _frame(digest, b"file", name.encode(), (upload.name or "").encode(), str(upload.size).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        _frame(digest, b"body", (request.content_type or "").encode(), request.body)
    return digest.hexdigest()


def _unreadable(exc: Exception) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        limit_mb = max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))
        return problem_response(
            413, _("The request body is larger than %(mb)d MB.") % {"mb": limit_mb}, "request-too-large"
        )
    return problem_response(400, _("The request body could not be read."), "parse-error")


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
        try:
            fingerprint = fingerprint_of(request, forms=_reads_forms(view))
        except (SuspiciousOperation, MultiPartParserError, LookupError, UnicodeDecodeError, ValueError) as exc:
            return _unreadable(exc)
        now = timezone.now()
        storing = False
        try:
            with transaction.atomic():
                held, maybe_earlier = _hold_key(principal, key)
                if not held:
                    return _in_use()
                earlier = _earlier_answer(principal, key, fingerprint, now) if maybe_earlier else None
                if earlier is not None:
                    return earlier
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code >= 500:
                    raise _ServerError(response)
                storing = True
                IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    method=request.method or "",
                    path=request.get_full_path()[:500],
                    fingerprint=fingerprint,
                    status=IdempotencyRecord.COMPLETED,
                    response_status=response.status_code,
                    response_headers={name: response[name] for name in STORED_HEADERS if response.has_header(name)},
                    response_body=bytes(response.content),
                    created_at=now,
                    expires_at=now + dt.timedelta(hours=getattr(settings, "SHUREN_IDEMPOTENCY_TTL_HOURS", 24)),
                )
        except _ServerError as failure:  # rolled back: the key stays free for a retry
            return failure.response
        except IntegrityError:
            if not storing:
                raise
            # Another request with this key committed between our look-up and our insert (only where the
            # database has no advisory lock): our writes are rolled back and its answer stands.
            return _earlier_answer(principal, key, fingerprint, now) or _in_use()
        return response


def _hold_key(principal: str, key: str) -> tuple[bool, bool]:
    """Hold the key for the rest of the transaction: (held, whether an earlier request may have
    stored an answer under it). Not held when a request with the same key is running.

    On PostgreSQL a transaction-level advisory lock on a 64-bit digest of the principal and key: a
    concurrent retry is answered 409 at once rather than waiting, and the lock goes with the commit
    or rollback (a crashed request leaves no claim behind). The same statement looks for a stored
    answer; one committed between its snapshot and the lock is found by the unique key when this
    request stores its own (``_run_once``). SQLite runs one writing transaction at a time
    (``transaction_mode`` IMMEDIATE): a retry waits for the first request and then finds its answer."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return True, True
    digest = hashlib.blake2b(f"{principal}\x00{key}".encode(), digest_size=8, person=b"idempotency").digest()
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s),"  # noqa: S608 (a table name)
            f' EXISTS (SELECT 1 FROM {table} WHERE "principal" = %s AND "key" = %s)',
            [int.from_bytes(digest, "big", signed=True), principal, key],
        )
        held, earlier = cursor.fetchone()
    return bool(held), bool(earlier)


def _earlier_answer(principal: str, key: str, fingerprint: str, now: dt.datetime) -> HttpResponse | None:
    """What an earlier request with this key answers for this one: its stored response (replayed), 422
    for a different request under the same key, 409 while it runs; None when the key is free. A
    record past its time to live is removed, and so is an ``in_flight`` claim older than the lease
    (left by a version that committed its claim before running the view)."""
    existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if existing is None:
        return None
    lease = dt.timedelta(seconds=getattr(settings, "SHUREN_IDEMPOTENCY_LEASE_SECONDS", 60))
    if existing.expires_at <= now or (
        existing.status == IdempotencyRecord.IN_FLIGHT and existing.created_at <= now - lease
    ):
        IdempotencyRecord.objects.filter(pk=existing.pk).delete()
        return None
    if existing.fingerprint != fingerprint:
        return problem_response(
            422, _("This Idempotency-Key was used for a different request."), "idempotency-key-reused"
        )
    if existing.status == IdempotencyRecord.IN_FLIGHT:
        return _in_use()
    return _replay(existing)


def _in_use() -> HttpResponse:
    return problem_response(
        409, _("A request with this Idempotency-Key is still being processed."), "idempotency-key-in-use"
    )


class _ServerError(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def purge_expired_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
