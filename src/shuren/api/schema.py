"""OpenAPI descriptions of the project's own authentication classes."""

from drf_spectacular.authentication import SessionScheme


class ShurenSessionScheme(SessionScheme):
    target_class = "shuren.api.authentication.SessionAuthentication"
    name = "sessionAuth"
