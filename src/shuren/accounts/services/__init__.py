"""Account and role changes. Each function runs in one transaction, checks permission and audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import forget_grants, has_action

from ..models import ApiToken, RoleGrant, TextSize, User
from ..roles import ADMIN_ROLES
from ..tokens import SHOWN_PREFIX_LENGTH, hash_key, new_key, token_policy


def _require_role_manager(actor: User) -> None:
    if not has_action(actor, "accounts.manage_roles"):
        record_event("accounts.denied", actor=actor, outcome="denied")
        raise NotPermitted()


def grant_role(
    *, actor: User | None, user: User, role: str, area: Any = None, expires_on: dt.date | None = None
) -> RoleGrant:
    """Grant ``role`` on ``area``. Guarantees separation of duties: an account with an admin role holds
    nothing else, and nobody grants a role to themselves. ``actor=None`` is the installer (CLI)."""
    if actor is not None:
        _require_role_manager(actor)
        if actor.pk == user.pk:
            record_event(
                "accounts.role_grant",
                actor=actor,
                obj=user,
                outcome="denied",
                reason="self-grant",
                detail={"role": role},
            )
            raise NotPermitted(_("Nobody may change their own roles."))
    live = RoleGrant.objects.active().filter(user=user)
    if role in ADMIN_ROLES and live.exists():
        raise ValidationError(_("An administrator account may hold only one role. Use a separate account."))
    if role not in ADMIN_ROLES and live.filter(role__in=ADMIN_ROLES).exists():
        raise ValidationError(_("This is an administrator account; it cannot take other roles."))
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user,
                role=role,
                area=area if role not in ADMIN_ROLES else None,
                granted_by=actor,
                expires_on=expires_on,
            )
            record_event(
                "accounts.role_grant", actor=actor, obj=user, detail={"role": role, "area": getattr(area, "path", "")}
            )
    except IntegrityError:
        raise ValidationError(
            _("This role is already granted, or conflicts with another administrator role.")
        ) from None
    forget_grants(user)
    return grant


def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    _require_role_manager(actor)
    if actor.pk == grant.user_id:
        raise NotPermitted(_("Nobody may change their own roles."))
    with transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        record_event(
            "accounts.role_revoke",
            actor=actor,
            obj=grant.user,
            detail={"role": grant.role, "area": grant.area.path if grant.area is not None else ""},
        )


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """Delete the server-side sessions of ``user`` (disable, password change, MFA reset), except
    the session ``keep``."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def disable_user(*, actor: User | None, user: User, reason: str) -> None:
    """Disable ``user`` and end every session they have. Nobody disables themselves."""
    if actor is not None:
        _require_role_manager(actor)
        if actor.pk == user.pk:
            raise NotPermitted(_("You cannot disable your own account."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False, disabled_reason=reason[:200])
        record_event("accounts.disable", actor=actor, obj=user, reason=reason)
        revoke_api_tokens(user=user, reason="account-disabled", actor=actor)
    end_sessions(user=user)


def reset_mfa(*, actor: User, user: User) -> None:
    """Remove the user's authenticator; they must enrol a new one before reaching anything else."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_role_manager(actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record_event("accounts.mfa_reset", actor=actor, obj=user)
        revoke_api_tokens(user=user, reason="mfa-reset", actor=actor)
    end_sessions(user=user)


def disable_dormant_accounts(*, days: int) -> list[str]:
    """Disable accounts unused for ``days`` days (SECURITY.md AUTH 1). Returns the usernames."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    dormant = User.objects.filter(is_active=True).exclude(last_login__gte=cutoff).exclude(date_joined__gte=cutoff)
    names = []
    for user in dormant:
        disable_user(actor=None, user=user, reason=f"dormant for {days} days")
        names.append(user.username)
    return names


def enable_user(*, actor: User, user: User) -> None:
    _require_role_manager(actor)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True, disabled_reason="")
        record_event("accounts.enable", actor=actor, obj=user)


def issue_api_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for ``user`` and its key. The key is returned here and never again: only
    its hash is stored. Lifetime and idle timeout come from the token policy in settings."""
    idle_seconds, absolute_seconds = token_policy()
    key = new_key()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=(name or "").strip()[:60] or _("API token"),
            key_hash=hash_key(key),
            key_prefix=key[:SHOWN_PREFIX_LENGTH],
            created_at=now,
            last_used_at=now,
            expires_at=now + dt.timedelta(seconds=absolute_seconds),
            idle_seconds=idle_seconds,
        )
        record_event(
            "auth.token_issued",
            actor=user,
            obj=user,
            detail={"token": token.pk, "prefix": token.key_prefix, "name": token.name},
        )
    return token, key


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Revoke one token. Only its owner may; anybody else's token answers as not found."""
    from shuren.core.errors import OutOfScope

    if token.user_id != actor.pk:
        raise OutOfScope()
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="revoked"
        )
        if changed:
            record_event(
                "auth.token_revoked",
                actor=actor,
                obj=token.user,
                detail={"token": token.pk, "prefix": token.key_prefix, "reason": "revoked"},
            )


def revoke_api_tokens(*, user: User, reason: str, actor: User | None = None) -> int:
    """Revoke every live token of ``user`` (password change, disable, MFA reset, sign out
    everywhere). Returns how many were live."""
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:40]
        )
        if count:
            record_event(
                "auth.token_revoked",
                actor=actor if actor is not None else user,
                obj=user,
                detail={"count": count, "reason": reason},
            )
    return count


def sign_out_everywhere(*, user: User) -> int:
    """End every session and revoke every API token of ``user``; returns the number of sessions
    ended. The caller signs the current request out."""
    with transaction.atomic():
        revoke_api_tokens(user=user, reason="signed-out-everywhere")
        record_event("auth.sign_out_everywhere", actor=user, obj=user)
    return end_sessions(user=user)


def set_text_size(*, user: User, text_size: str) -> None:
    """Remember the size of text ``user`` reads the site in, for every device they sign in on. A
    display preference, like the language: not audited."""
    if text_size not in TextSize.values:
        raise ValidationError({"text_size": _("Choose normal or large text.")})
    User.objects.filter(pk=user.pk).update(text_size=text_size)
    user.text_size = text_size
