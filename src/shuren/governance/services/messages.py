"""What the governance list tells claimants through the outbox: that their claim will lapse unless
they report progress (``warn_lapsing_claims``, run with the hourly lapse job), and that it lapsed
(inside the lapse's transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuren.notifications.services import notify

from ..models import Claim, ClaimStatus, ItemStatus
from ..selectors import LAPSE_WARNING


def claimants(claim: Claim) -> list[Any]:
    """Who answers for the claim: the claiming person's account, else whoever recorded the claim (an
    organisation's representative, or staff claiming for someone without an account)."""
    person_user = claim.person.user if claim.person is not None else None
    return [person_user or claim.claimed_by]


def _link(claim: Claim) -> str:
    return reverse("governance_portal:detail", args=[claim.item_id])


def tell_lapsed(claim: Claim) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind="governance.lapsed",
            event_key=f"claim:{claim.pk}:lapsed",
            recipients=claimants(claim),
            subject=_("Your claim lapsed: %(title)s") % {"title": claim.item.title},
            text=_("No progress on %(title)s was reported in time, so your claim lapsed and others may take it up.")
            % {"title": claim.item.title},
            link=_link(claim),
            params={"title": claim.item.title},
        )


def warn_lapsing_claims(at: dt.datetime | None = None) -> int:
    """Warn the claimant of each active claim lapsing within LAPSE_WARNING, once per lapse time (a
    progress report moves the lapse time, and a later warning goes again). Returns how many."""
    at = at or timezone.now()
    due = Claim.objects.filter(
        status=ClaimStatus.ACTIVE,
        item__status=ItemStatus.CLAIMED,
        lapses_at__gt=at,
        lapses_at__lte=at + LAPSE_WARNING,
    ).select_related("item", "person__user", "claimed_by")
    warned = 0
    for claim in due.order_by("lapses_at", "pk"):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            lapses = date_format(timezone.localtime(claim.lapses_at), "DATETIME_FORMAT")
            notify(
                kind="governance.lapsing",
                event_key=f"claim:{claim.pk}:lapsing:{claim.lapses_at:%Y%m%d%H%M}",
                recipients=claimants(claim),
                subject=_("Report progress on %(title)s") % {"title": claim.item.title},
                text=_("Your claim on %(title)s lapses at %(lapses)s unless you report progress before then.")
                % {"title": claim.item.title, "lapses": lapses},
                link=_link(claim),
                params={"title": claim.item.title, "lapses": lapses},
            )
            warned += 1
    return warned
