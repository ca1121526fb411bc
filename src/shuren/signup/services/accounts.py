"""Accounts made, recovered and renumbered with an SMS code: sign-up, password reset, change of
mobile number. Each spends the ticket of a right code in the same transaction as its change."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User, phone_index_of
from shuren.accounts.services import end_sessions
from shuren.audit.services import record_event
from shuren.core.masking import mask_phone
from shuren.core.validators import clean_text
from shuren.notifications import sms
from shuren.notifications.services import notify

from ..models import Purpose
from .codes import Ticket, spend_ticket

logger = logging.getLogger(__name__)

NAME_LIMIT = 50


def _checked_name(name: str) -> str:
    cleaned = clean_text(name or "")
    if not cleaned:
        raise ValidationError({"full_name": [_("Enter your name.")]})
    if len(cleaned) > NAME_LIMIT:
        raise ValidationError({"full_name": [_("A name has at most %(count)d characters.") % {"count": NAME_LIMIT}]})
    return cleaned


def _checked_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None


def create_account(*, ticket: Ticket, phone: str, full_name: str, password: str) -> User:
    """Make the account of the number a sign-up code proved, with a name and a password.

    The new account holds no role until it is linked to a resident (``request_link``)."""
    name = _checked_name(full_name)
    user = User(username=f"r{secrets.token_hex(6)}", full_name=name, phone=phone)
    _checked_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            spend_ticket(purpose=Purpose.SIGNUP, ticket=ticket, phone=phone)
            user.save()
            record_event("signup.account_create", actor=user, obj=user)
    except IntegrityError:
        # The number was taken between the code and now; the one who reads this holds the number.
        raise ValidationError(
            _("This number already has an account. Sign in, or reset the password with a code."), code="taken"
        ) from None
    return user


def reset_password(*, ticket: Ticket, phone: str, password: str) -> User:
    """Set a new password on the account of the number a reset code proved; every session of the
    account ends and its API tokens stop working (a password change does that)."""
    with transaction.atomic():
        spend_ticket(purpose=Purpose.RESET, ticket=ticket, phone=phone)
        user = User.objects.select_for_update().filter(phone_index=phone_index_of(phone), is_active=True).first()
        if user is None:
            raise ValidationError(_("This step has expired or was already completed. Start again."), code="ticket")
        _checked_password(password, user)
        user.set_password(password)
        user.save()
        end_sessions(user=user)
        record_event("signup.password_reset", actor=user, obj=user)
        notify(
            kind="signup.password_reset",
            event_key=f"user:{user.pk}:password_reset:{user.password_changed_at:%Y%m%d%H%M%S%f}",
            recipients=[user],
            subject=gettext_lazy("Your password was reset"),
            text=gettext_lazy(
                "The password of your Shuren account was reset with a code sent to your mobile number. "
                "If you did not do this, contact your community office at once."
            ),
        )
    from axes.utils import reset as reset_lockout

    reset_lockout(username=user.get_username())
    return user


def _tell_old_number(old_phone: str) -> None:
    """A text to the number the account left (best effort: the in-app and e-mail notice is the record)."""
    try:
        sms.get_provider().send(
            phone=old_phone,
            template_code=sms.template_code("phone_changed"),
            params={},
            sign_name=settings.SHUREN_SMS_SIGN_NAME,
        )
    except sms.SmsError as exc:
        logger.warning("could not tell the old number of a change: %s", exc)


def change_phone(*, actor: User, ticket: Ticket, phone: str) -> User:
    """Move ``actor``'s account to the new number a code proved. A number another account holds is
    refused without saying whose; the old number hears of the change by SMS."""
    old = actor.phone
    try:
        with transaction.atomic():
            spend_ticket(purpose=Purpose.CHANGE_PHONE, ticket=ticket, phone=phone, user=actor)
            user = User.objects.select_for_update().get(pk=actor.pk)
            user.phone = phone
            user.save()
            record_event(
                "signup.phone_change",
                actor=actor,
                obj=user,
                detail={"from": mask_phone(old), "to": mask_phone(phone)},
            )
            notify(
                kind="signup.phone_changed",
                event_key=f"user:{user.pk}:phone:{user.phone_index}",
                recipients=[user],
                subject=gettext_lazy("Your mobile number was changed"),
                text=gettext_lazy(
                    "The mobile number of your Shuren account was changed. "
                    "If you did not do this, contact your community office at once."
                ),
            )
            if old and old != phone:
                transaction.on_commit(lambda: _tell_old_number(old))
    except IntegrityError:
        raise ValidationError(
            {"phone": [_("This number is already used by another account. Ask your community office for help.")]}
        ) from None
    actor.refresh_from_db()
    return actor
