"""The in-app inbox: a user marks their own messages read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from shuren.core.errors import OutOfScope

from ..models import Channel, Message

if TYPE_CHECKING:
    from shuren.accounts.models import User


def mark_read(*, actor: User, pk: int) -> Message:
    """Mark one of the actor's in-app messages read (another user's: OutOfScope, 404)."""
    message = Message.objects.filter(pk=pk, recipient=actor, channel=Channel.INAPP).first()
    if message is None:
        raise OutOfScope
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def mark_all_read(*, actor: User) -> int:
    return Message.objects.filter(recipient=actor, channel=Channel.INAPP, read_at__isnull=True).update(
        read_at=timezone.now()
    )
