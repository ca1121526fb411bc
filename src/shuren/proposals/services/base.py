"""What every proposal write shares: the clock, the timeline row, the versioned write and the actor's
right to manage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can

from ..models import Proposal, ProposalEvent


def current_time() -> dt.datetime:
    return timezone.now()


def event(
    proposal: Proposal, kind: str, *, actor: User | None = None, text: str = "", at: dt.datetime | None = None
) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        text=text,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or current_time(),
    )


def write(proposal: Proposal, *, version: int | None, **fields: Any) -> Proposal:
    """Change the row only from the version the writer read (the current one when not given)."""
    update_versioned(Proposal, pk=proposal.pk, version=proposal.version if version is None else version, **fields)
    proposal.refresh_from_db()
    return proposal


def require_manage(actor: User, proposal: Proposal) -> None:
    if can(actor, "proposals.manage", proposal):
        return
    if can(actor, "proposals.view", proposal):
        raise NotPermitted()
    raise OutOfScope()
