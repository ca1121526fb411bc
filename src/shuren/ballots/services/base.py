"""What the ballots' services share: the audit record of a step on a ballot."""

from __future__ import annotations

from typing import Any

from shuren.accounts.models import User
from shuren.audit.services import record_event

from ..models import Ballot


def audit(action: str, actor: User, ballot: Ballot, **detail: Any) -> None:
    record_event(f"ballots.{action}", actor=actor, obj=ballot, scope=ballot.scope, detail=detail)
