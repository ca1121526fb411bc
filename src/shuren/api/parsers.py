"""The API's request parsers: any body they cannot read is a 400 problem (413 when too large), never
a server error.

DRF's own JSON parser lets some bodies through to a 500: nesting deep enough to exhaust the
interpreter's recursion (``RecursionError`` is no ``ValueError``), an unknown ``charset``
(``LookupError``), numbers beyond what a float or a database integer holds (``1e999`` becomes
``inf``, which the renderer then cannot write), and it reads a body of any length into memory. These
parsers refuse all of them; the settings name them as the defaults, and views that accept photos use
``MultiPartParser`` from here too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

# The deepest nesting of arrays and objects a request body may have. No request of this API needs
# more than a handful of levels.
MAX_DEPTH = 32
# The largest integer a JSON body may carry: what a database bigint holds.
MAX_INTEGER = 2**63 - 1


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request-too-large"

    def __init__(self) -> None:
        limit_mb = max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))
        super().__init__(_("The request body is larger than %(mb)d MB.") % {"mb": limit_mb})


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise ValueError(_("the number %(number)s is too large") % {"number": text[:20] + "…"})
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("the number %(number)s is too large") % {"number": text[:20]})
    return value


def _constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON value") % {"name": name})


def _too_deep(data: Any, limit: int) -> bool:
    """Whether ``data`` nests arrays and objects more than ``limit`` levels deep (without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def read_limited(stream: Any) -> bytes:
    """The whole body, refused with 413 beyond DATA_UPLOAD_MAX_MEMORY_SIZE."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise RequestTooLarge()
    return raw


def parse_json(raw: bytes, encoding: str) -> Any:
    """``raw`` as JSON, or ParseError saying why not (a 400 problem)."""
    try:
        text = raw.decode(encoding)
    except LookupError:
        raise ParseError(_("Unknown character set “%(charset)s”.") % {"charset": encoding[:40]}) from None
    except UnicodeDecodeError:
        raise ParseError(_("The body is not valid %(charset)s text.") % {"charset": encoding[:40]}) from None
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise ParseError(_("The JSON body nests more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}) from None
    except ValueError as exc:
        raise ParseError(_("The body is not valid JSON: %(error)s.") % {"error": exc}) from None
    if _too_deep(data, MAX_DEPTH):
        raise ParseError(_("The JSON body nests more than %(depth)d levels deep.") % {"depth": MAX_DEPTH})
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]  # DRF 3.18; not in its stubs yet
        return parse_json(read_limited(stream), encoding)


class MultiPartParser(parsers.MultiPartParser):
    """Django's multipart parser, with its refusals (too many fields, fields too large, an unknown
    charset) as 400/413 problems instead of errors Django answers outside the API."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise RequestTooLarge() from None
        except (SuspiciousOperation, LookupError, UnicodeDecodeError, ValueError) as exc:
            raise ParseError(_("The multipart body could not be read: %(error)s") % {"error": exc}) from None
