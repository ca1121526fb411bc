"""Domain exceptions raised by services; adapters map them to HTTP problems or form errors."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_BASE = "https://shuren.example/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_body(status: int, title: object, code: str, detail: Any = None, **extra: Any) -> dict[str, Any]:
    """An RFC 9457 problem document; ``code`` names the problem type."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": str(title), "status": status}
    if detail not in (None, ""):
        body["detail"] = detail
    body.update(extra)
    return body


def problem_response(status: int, title: object, code: str, **extra: Any) -> JsonResponse:
    """A problem answer for code outside DRF (middleware)."""
    return JsonResponse(problem_body(status, title, code, **extra), status=status, content_type=PROBLEM_CONTENT_TYPE)


class ShurenError(Exception):
    """Base of every domain error: carries an HTTP status and a stable machine-readable code."""

    status = 400
    code = "error"
    default_detail = _("The request could not be processed.")

    def __init__(self, detail: str | None = None, **extra: object) -> None:
        self.detail = str(detail) if detail is not None else str(self.default_detail)
        self.extra = extra
        super().__init__(self.detail)


class OutOfScope(ShurenError):
    """The object lies outside everything the user may see. Answered as 404 so nothing leaks."""

    status = 404
    code = "not-found"
    default_detail = _("Not found.")


class NotPermitted(ShurenError):
    """The object is visible but the user's roles do not allow this action on it."""

    status = 403
    code = "forbidden"
    default_detail = _("You do not have permission to do this.")


class InvalidTransition(ShurenError):
    status = 409
    code = "invalid-transition"
    default_detail = _("This action is not allowed in the current state.")


class StaleVersion(ShurenError):
    """Someone else changed the record first (optimistic concurrency)."""

    status = 409
    code = "stale-version"
    default_detail = _("The record was changed by someone else. Reload it and try again.")


class PreconditionFailed(ShurenError):
    status = 412
    code = "precondition-failed"
    default_detail = _("The record no longer matches the version you sent (If-Match).")


class PreconditionRequired(ShurenError):
    status = 428
    code = "precondition-required"
    default_detail = _("Send If-Match with the record's ETag, or the version you read, to change it.")


class ReauthenticationRequired(ShurenError):
    status = 401
    code = "reauthentication-required"
    default_detail = _("Confirm your password again before this action.")
