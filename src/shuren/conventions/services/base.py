"""What every convention write shares: the clock, the actor's right to manage, the versioned write
and the locked version row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can

from ..models import Convention, ConventionVersion


def current_time() -> dt.datetime:
    return timezone.now()


def require_manage(actor: User, convention: Convention) -> None:
    if can(actor, "conventions.manage", convention):
        return
    if can(actor, "conventions.view", convention):
        raise NotPermitted()
    raise OutOfScope()


def bump(convention: Convention, version: int | None, **fields: Any) -> None:
    """Change the convention only from the version the writer read (the current one when not given)."""
    update_versioned(Convention, pk=convention.pk, version=convention.version if version is None else version, **fields)
    convention.refresh_from_db()


def locked_version(version: ConventionVersion) -> ConventionVersion:
    return ConventionVersion.objects.select_for_update().select_related("convention").get(pk=version.pk)
