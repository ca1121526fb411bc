"""OpenAPI descriptions of the project's own authentication classes."""

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ShurenSessionScheme(SessionScheme):
    target_class = "shuren.api.authentication.SessionAuthentication"
    name = "sessionAuth"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "shuren.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, the key from POST /api/v1/auth/token/. Tokens expire: see that endpoint.",
        }


# A JSON array of objects, for views that answer a list of plain dicts (a raw schema drf-spectacular
# takes as a response).
LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
