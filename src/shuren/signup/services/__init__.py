"""Every write of sign-up: codes, accounts made or recovered with a code, and link requests."""

from .accounts import change_phone, create_account, reset_password
from .codes import Throttled, Ticket, check_code, purge_codes, request_code, spend_ticket
from .links import approve_link, matching_people, refuse_link, request_link, residents_of

__all__ = [
    "Throttled",
    "Ticket",
    "approve_link",
    "change_phone",
    "check_code",
    "create_account",
    "matching_people",
    "purge_codes",
    "refuse_link",
    "request_link",
    "request_code",
    "reset_password",
    "residents_of",
    "spend_ticket",
]
