"""Logging filters: personal numbers masked before any record is written, and a refused request
(4xx) written as one line for the operators rather than a traceback."""

from __future__ import annotations

import logging
import re

from .masking import mask_id_number, mask_phone

ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?86)?1\d{10}(?!\d)")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def redact(text: str) -> str:
    text = ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


class RedactPiiFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True


def _one_line(value: object) -> str:
    """A value as it may stand in a one-line record: control characters (a newline in a crafted
    path or method) escaped, so that one request never writes two lines."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(value))


class ClientErrorOneLine(logging.Filter):
    """A request Django refused with a 4xx answer (403 PermissionDenied, 404, 400…) is the client's
    business, not a fault of the code: Django's ``log_response`` attaches the exception, which a
    handler would print as a traceback. This filter, set on the ``django.request`` and
    ``django.security`` loggers, drops the traceback and writes the record as one line naming the
    method, the path, the status and the user's id ("-" when not signed in):

        Forbidden (Permission denied): method=GET path=/appeals/kpis/ status=403 user=12

    A 5xx answer keeps its traceback: that one the operators must read."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500 or getattr(record, "one_line", False):
            return True
        request = getattr(record, "request", None)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        reason = message.split(":", 1)[0] if ":" in message else message
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
        method = getattr(request, "method", None) or "-"
        path = getattr(request, "path", None) or "-"
        record.msg = "%s: method=%s path=%s status=%s user=%s"
        record.args = (
            _one_line(reason),
            _one_line(method),
            _one_line(path),
            status,
            user_id if user_id is not None else "-",
        )
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.one_line = True  # set on the logger and on the handler: rewritten once
        return True
