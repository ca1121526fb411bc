"""OpenAPI pieces every app's API shares: the headers of conditional and idempotent requests, and
the documented problem answers (RFC 9457)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

PROBLEM = "application/problem+json"

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Unique key for this operation; a retry with the same key returns the first response.",
)
IDEMPOTENCY_KEY_REQUIRED = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="Unique key for this submission (e.g. a UUID); a retry with the same key returns the first "
    "response and creates nothing.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. Alternatively send `version` in the body. Without either: 428.",
)


def etag_header(what: str = "The object's version.") -> OpenApiParameter:
    """The ETag response header of a versioned object (send it back as If-Match)."""
    return OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201], description=what)


ETAG = etag_header()


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem (application/problem+json)."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    errors = serializers.DictField(  # type: ignore[assignment]  # shadows Serializer.errors in the stubs; RFC 9457 names it
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field name.",
    )


MEANING = {
    400: "Invalid input; `errors` names each field.",
    401: "Not signed in.",
    403: "Your roles do not allow this action here.",
    404: "No such object among those you may open.",
    409: "The state does not allow this step, or someone changed the object first (reload it).",
    412: "If-Match names an older version.",
    428: "Send If-Match or `version`.",
}


def problems(*codes: int, meaning: dict[int, str] | None = None) -> dict[Any, Any]:
    """Documented problem answers for the given status codes; ``meaning`` words them for one app."""
    words = {**MEANING, **(meaning or {})}
    return {(code, PROBLEM): OpenApiResponse(ProblemSerializer, description=words[code]) for code in codes}
