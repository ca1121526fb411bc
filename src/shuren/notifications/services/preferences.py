"""A user's choices: channels per kind, quiet hours, the e-mail digest; and the administrator's
SMS budget of a community."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .. import kinds as kind_registry
from ..models import DeliverySchedule, Preference, SmsBudget

if TYPE_CHECKING:
    from shuren.accounts.models import User


def save_preferences(
    *,
    actor: User,
    choices: Mapping[tuple[str, str], bool],
    quiet_start: dt.time,
    quiet_end: dt.time,
    email_digest: bool,
) -> None:
    """Keep the actor's choices: ``choices[(kind, channel)]`` on or off. A choice equal to the kind's
    default keeps no row, so a later change of the default reaches those who never chose."""
    with transaction.atomic():
        for (kind, channel), enabled in choices.items():
            default = channel in kind_registry.get(kind).channels
            if enabled == default:
                Preference.objects.filter(user=actor, kind=kind, channel=channel).delete()
            else:
                Preference.objects.update_or_create(
                    user=actor, kind=kind, channel=channel, defaults={"enabled": enabled}
                )
        DeliverySchedule.objects.update_or_create(
            user=actor,
            defaults={"quiet_start": quiet_start, "quiet_end": quiet_end, "email_digest": email_digest},
        )


def set_sms_budget(*, actor: User, community: Any, month: dt.date, messages: int) -> SmsBudget:
    """Set ``community``'s SMS budget for ``month`` (its first day is kept), audited."""
    from shuren.core.auditing import record_event

    with transaction.atomic():
        budget, _created = SmsBudget.objects.update_or_create(
            community=community, month=month.replace(day=1), defaults={"messages": messages}
        )
        record_event(
            "notifications.sms_budget",
            actor=actor,
            obj=budget,
            detail={"community": community.path, "month": f"{month:%Y-%m}", "messages": messages},
        )
    return budget
