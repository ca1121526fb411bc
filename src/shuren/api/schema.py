"""OpenAPI descriptions of the project's own authentication classes."""

from drf_spectacular.authentication import SessionScheme


class ShurenSessionScheme(SessionScheme):
    target_class = "shuren.api.authentication.SessionAuthentication"
    name = "sessionAuth"


# A JSON array of objects, for views that answer a list of plain dicts (a raw schema drf-spectacular
# takes as a response).
LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
