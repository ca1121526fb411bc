from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """Session auth whose 401 carries a WWW-Authenticate header (so DRF answers 401, not 403)."""

    def authenticate_header(self, request):  # type: ignore[no-untyped-def]
        return 'Session realm="shuren"'
