"""Read receipts: a resident opening a notice, and a building leader telling a household at the door."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition

from .. import selectors
from ..models import NoticeHousehold, NoticeReader
from .base import audit


def mark_read(*, reader: NoticeReader) -> bool:
    """The resident opened the notice: read for them, and (first time) for their household.
    Returns whether this was the first reading. Safe to repeat and to race."""
    now = timezone.now()
    with transaction.atomic():
        first = NoticeReader.objects.filter(pk=reader.pk, read_at__isnull=True).update(read_at=now) == 1
        if first:
            NoticeHousehold.objects.filter(pk=reader.household_id, read_at__isnull=True).update(read_at=now)
    return first


def mark_told(*, actor: User, household: NoticeHousehold) -> NoticeHousehold:
    """已告知: the building leader (or grid worker, staff) told the household at the door. Only for a
    current notice; telling twice keeps the first time and who."""
    household = selectors.tellable_household(actor, household.pk)
    if not household.notice.is_current():
        raise InvalidTransition(_("The notice is no longer current."))
    with transaction.atomic():
        updated = NoticeHousehold.objects.filter(pk=household.pk, told_at__isnull=True).update(
            told_at=timezone.now(), told_by=actor
        )
        if updated:
            audit("tell", actor=actor, notice=household.notice, household=household.pk)
    household.refresh_from_db()
    return household
