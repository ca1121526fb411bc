"""The kinds of message resident proposals send through the outbox (``shuren.notifications``) to
the proposer and the co-signers, registered when Django starts (``apps.ProposalsConfig.ready``): the
proposal reached its co-signing threshold, and it was answered. ``SMS_PARAMS`` names each kind's SMS
template parameters (docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind(
        "proposals.qualified",
        _("A proposal I made or co-signed has enough co-signatures"),
        channels=("inapp", "email"),
    ),
    Kind(
        "proposals.answered",
        _("A proposal I made or co-signed was answered"),
        channels=("inapp", "email"),
        optional=("sms",),
    ),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "proposals.qualified": ("title", "count"),
    "proposals.answered": ("title", "answer"),
}
