"""What the surveys' services share: the audit record of a step on a survey."""

from __future__ import annotations

from typing import Any

from shuren.accounts.models import User
from shuren.audit.services import record_event

from ..models import Survey


def audit(action: str, actor: User, survey: Survey, **detail: Any) -> None:
    record_event(f"surveys.{action}", actor=actor, obj=survey, scope=survey.scope, detail=detail)
