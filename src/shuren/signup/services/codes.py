"""One-time SMS codes: asking for one (throttled per number and per client address), checking it
(at most ``SHUREN_SIGNUP_CODE_MAX_ATTEMPTS`` tries, then it is dead) and spending the ticket a right
code hands out (once, for the same number and purpose).

A code is 6 digits from ``secrets``; only its keyed hash is stored, bound to the purpose, the number
and a random nonce of the row. Whether an account holds the number never changes the answer: when no
code is due (sign-up with a number that has an account, reset of a number without one) a row is still
written, without a code, so that the throttles count it and the next page looks the same.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shuren.accounts.models import User, phone_index_of
from shuren.audit.services import record_event
from shuren.core import crypto
from shuren.notifications import sms

from ..models import PhoneCode, Purpose

logger = logging.getLogger(__name__)

CODE_PURPOSE = "signup.code"
TICKET_PURPOSE = "signup.ticket"
NUMBER_PURPOSE = "signup.number"
ADDRESS_PURPOSE = "signup.address"

# The SMS template (SHUREN_SMS_TEMPLATES) of each purpose's code.
TEMPLATES = {
    Purpose.SIGNUP: "signup_code",
    Purpose.RESET: "reset_code",
    Purpose.CHANGE_PHONE: "change_phone_code",
}


class Throttled(Exception):
    """Too many codes asked for this number or from this address; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(f"throttled for {self.retry_after}s")


@dataclass(frozen=True)
class Ticket:
    """What a right code hands to the next step: the row and the secret that spends it."""

    code_id: int
    secret: str


def number_key(e164: str) -> str:
    """The keyed hash a number is counted under (not the accounts' index: a different purpose)."""
    return crypto.blind_index(e164, purpose=NUMBER_PURPOSE)


def address_key(address: str) -> str:
    return crypto.blind_index(address or "unknown", purpose=ADDRESS_PURPOSE)


def _code_hash(*, purpose: str, number: str, nonce: str, code: str) -> str:
    return crypto.blind_index(f"{purpose}\x00{number}\x00{nonce}\x00{code}", purpose=CODE_PURPOSE)


def _ticket_hash(secret: str) -> str:
    return crypto.blind_index(secret, purpose=TICKET_PURPOSE)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _check_throttles(*, number: str, address: str, now: dt.datetime) -> None:
    hour_ago = now - dt.timedelta(hours=1)
    recent = PhoneCode.objects.filter(phone_index=number, created_at__gte=hour_ago).order_by("-created_at")
    last = recent.values_list("created_at", flat=True).first()
    gap = dt.timedelta(seconds=settings.SHUREN_SIGNUP_RESEND_SECONDS)
    if last is not None and now - last < gap:
        raise Throttled(int((last + gap - now).total_seconds()) + 1)
    times = list(recent.values_list("created_at", flat=True)[: settings.SHUREN_SIGNUP_CODES_PER_NUMBER_PER_HOUR])
    if len(times) >= settings.SHUREN_SIGNUP_CODES_PER_NUMBER_PER_HOUR:
        raise Throttled(int((times[-1] + dt.timedelta(hours=1) - now).total_seconds()) + 1)
    limit = settings.SHUREN_SIGNUP_CODES_PER_ADDRESS_PER_HOUR
    from_address = list(
        PhoneCode.objects.filter(address_index=address, created_at__gte=hour_ago)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(from_address) >= limit:
        raise Throttled(int((from_address[-1] + dt.timedelta(hours=1) - now).total_seconds()) + 1)


def _code_due(purpose: str, e164: str) -> bool:
    """Whether a code is sent: a sign-up for a number no account holds, a reset for a number an
    active account holds, a change of number always (the account is known)."""
    holder = User.objects.filter(phone_index=phone_index_of(e164)).only("is_active").first()
    if purpose == Purpose.SIGNUP:
        return holder is None
    if purpose == Purpose.RESET:
        return holder is not None and holder.is_active
    return True


def request_code(*, purpose: str, phone: str, address: str, user: User | None = None) -> PhoneCode:
    """Ask for a code for ``phone`` (E.164) from the client ``address``.

    Raises ``Throttled`` (nothing sent) or ``sms.SmsError`` (nothing stored: asking again is allowed).
    The answer is the same whether or not an account holds the number."""
    if purpose == Purpose.CHANGE_PHONE and user is None:
        raise ValueError("a change of number belongs to an account")
    now = timezone.now()
    number, where = number_key(phone), address_key(address)
    _check_throttles(number=number, address=where, now=now)
    nonce = secrets.token_hex(16)
    row = PhoneCode(
        purpose=purpose,
        phone_index=number,
        address_index=where,
        user=user,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.SHUREN_SIGNUP_CODE_SECONDS),
        nonce=nonce,
    )
    sent = _code_due(purpose, phone)
    if sent:
        code = new_code()
        row.code_hash = _code_hash(purpose=purpose, number=number, nonce=nonce, code=code)
        # Sent straight, not through the outbox: a code is worth something only now, and it must
        # never sit in a table of messages.
        sms.get_provider().send(
            phone=phone,
            template_code=sms.template_code(TEMPLATES[Purpose(purpose)]),
            params={"code": code},
            sign_name=settings.SHUREN_SMS_SIGN_NAME,
        )
    with transaction.atomic():
        row.save()
        record_event(
            "signup.code_request",
            actor=user,
            obj=row,
            detail={"purpose": purpose},  # never whether a code was sent: the log is not an oracle either
        )
    return row


def check_code(*, purpose: str, code_id: int, code: str, phone: str, user: User | None = None) -> Ticket:
    """Check ``code`` against the row ``code_id``; return the ticket for the next step.

    Every try counts (a wrong one, and a right one after the row died); the 5th wrong try kills the
    code. Raises ``ValidationError`` with words the page shows."""
    number = number_key(phone)
    now = timezone.now()
    problem = ""
    secret = ""
    with transaction.atomic():
        row = PhoneCode.objects.select_for_update().filter(pk=code_id, purpose=purpose, phone_index=number).first()
        if row is None or (user is not None and row.user_id != user.pk):
            problem = _("Ask for a new code.")
        elif row.verified_at is not None:
            problem = _("This code has already been used. Ask for a new one.")
        elif row.attempts >= settings.SHUREN_SIGNUP_CODE_MAX_ATTEMPTS:
            problem = _("Too many wrong codes. Ask for a new one.")
        elif now >= row.expires_at:
            problem = _("The code has expired. Ask for a new one.")
        else:
            row.attempts += 1
            typed = "".join(ch for ch in code if ch.isdigit())
            expected = row.code_hash
            given = _code_hash(purpose=purpose, number=number, nonce=row.nonce, code=typed)
            if expected and hmac.compare_digest(expected, given):
                secret = secrets.token_urlsafe(32)
                row.verified_at, row.ticket_hash = now, _ticket_hash(secret)
                row.save(update_fields=["attempts", "verified_at", "ticket_hash"])
                record_event("signup.code_verified", actor=user, obj=row, detail={"purpose": purpose})
            else:
                row.save(update_fields=["attempts"])
                left = settings.SHUREN_SIGNUP_CODE_MAX_ATTEMPTS - row.attempts
                record_event("signup.code_failed", actor=user, obj=row, outcome="failure", detail={"purpose": purpose})
                if left <= 0:
                    problem = _("Too many wrong codes. Ask for a new one.")
                else:
                    problem = ngettext(
                        "The code is wrong. %(count)d try left.", "The code is wrong. %(count)d tries left.", left
                    ) % {"count": left}
    if problem:
        raise ValidationError({"code": [problem]})
    assert row is not None
    return Ticket(code_id=row.pk, secret=secret)


def spend_ticket(*, purpose: str, ticket: Ticket, phone: str, user: User | None = None) -> PhoneCode:
    """Spend ``ticket`` for ``phone`` and ``purpose`` (inside the caller's transaction): once only,
    within ``SHUREN_SIGNUP_TICKET_SECONDS`` of the right code. Raises ``ValidationError`` otherwise."""
    now = timezone.now()
    row = (
        PhoneCode.objects.select_for_update()
        .filter(pk=ticket.code_id, purpose=purpose, phone_index=number_key(phone), used_at__isnull=True)
        .exclude(ticket_hash="")
        .first()
    )
    fresh = row is not None and row.verified_at is not None
    if fresh and row is not None and row.verified_at is not None:
        fresh = now - row.verified_at <= dt.timedelta(seconds=settings.SHUREN_SIGNUP_TICKET_SECONDS)
    if (
        row is None
        or not fresh
        or not hmac.compare_digest(row.ticket_hash, _ticket_hash(ticket.secret))
        or (user is not None and row.user_id != user.pk)
    ):
        raise ValidationError(_("This step has expired or was already completed. Start again."), code="ticket")
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row


def purge_codes(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete rows past any throttle window and any ticket's life (the nightly clean-up)."""
    deleted, _rows = PhoneCode.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
