"""The rules of procedure of each kind of meeting (quorum, majority, named votes)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action

from ..models import MeetingRule


def change_rule(*, actor: User, rule: MeetingRule, fields: dict[str, Any], changed: list[str]) -> MeetingRule:
    """Save the rule with ``fields``; the audit record names the ``changed`` ones with their values."""
    if not has_action(actor, "meetings.configure"):
        raise NotPermitted()
    with transaction.atomic():
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save()
        record_event(
            "meetings.rule_changed",
            actor=actor,
            obj=rule,
            detail={name: str(fields[name]) for name in changed},
        )
    return rule
