"""How API callers prove who they are: a session (the web app's own pages) or an API token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from shuren.accounts.tokens import live_token_for_key


class SessionAuthentication(authentication.SessionAuthentication):
    """Session auth whose 401 carries a WWW-Authenticate header (so DRF answers 401, not 403)."""

    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="shuren"'


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` with an accounts.ApiToken: refused once revoked, past its
    lifetime or idle timeout, or when its user is disabled. The same words for every refusal."""

    keyword = "token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked.")) from None
        token = live_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Token realm="shuren"'
