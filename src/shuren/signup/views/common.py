"""What the sign-up pages share: the flow kept in the session between the steps of a code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shuren.core import crypto

from ..services import Ticket

SESSION_CONTEXT = "signup.session"


@dataclass(frozen=True)
class Flow:
    """Where a person is in a code's steps: the number (kept encrypted in the session), the code
    asked for and, once the code was right, the ticket that spends it."""

    purpose: str
    phone: str
    code_id: int
    ticket: str = ""

    def as_ticket(self) -> Ticket | None:
        return Ticket(code_id=self.code_id, secret=self.ticket) if self.ticket else None


def _key(purpose: str) -> str:
    return f"shuren_code_flow_{purpose}"


def save_flow(request: HttpRequest, flow: Flow) -> None:
    request.session[_key(flow.purpose)] = {
        "phone": crypto.encrypt(flow.phone, context=SESSION_CONTEXT),
        "code_id": flow.code_id,
        "ticket": flow.ticket,
    }


def load_flow(request: HttpRequest, purpose: str) -> Flow | None:
    stored: dict[str, Any] | None = request.session.get(_key(purpose))
    if not stored:
        return None
    try:
        phone = crypto.decrypt(stored["phone"], context=SESSION_CONTEXT)
    except (KeyError, ValueError, TypeError):
        return None
    except Exception:  # a key rotated since: start again
        return None
    return Flow(purpose=purpose, phone=phone, code_id=int(stored["code_id"]), ticket=str(stored.get("ticket") or ""))


def end_flow(request: HttpRequest, purpose: str) -> None:
    request.session.pop(_key(purpose), None)


def throttled_message(seconds: int) -> str:
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    else:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    return _("Too many codes were asked for. Try again in %(wait)s.") % {"wait": wait}


def sms_failed_message() -> str:
    return _("The text message could not be sent just now. Check the number, or try again in a few minutes.")
