"""RFC 9457 problem details for every API error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from shuren.core.errors import PROBLEM_CONTENT_TYPE, ShurenError, problem_body

from .parsers import RequestTooLarge


def problem(status_code: int, title: str, code: str, detail: Any = None, **extra: Any) -> Response:
    return Response(
        problem_body(status_code, title, code, detail, **extra), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ShurenError):
        return problem(exc.status, exc.detail, exc.code, **exc.extra)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation | MultiPartParserError):
        # A body or query Django refuses to read (too many fields, a malformed form): the client's error.
        exc = exceptions.ParseError(_("The request could not be read."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = getattr(exc, "default_code", "error").replace("_", "-")
    if isinstance(exc, exceptions.ValidationError):
        body = problem(status.HTTP_400_BAD_REQUEST, "Invalid input.", "validation-error", errors=data)
    else:
        detail = data.get("detail") if isinstance(data, dict) else data
        body = problem(response.status_code, str(detail or exc), code)
    for header, value in response.items():
        if header.lower() in {"www-authenticate", "retry-after", "allow"}:
            body[header] = value
    return body
