"""The kinds of message owners' ballots send through the outbox (``shuren.notifications``) to their
electorate, registered when Django starts (``apps.BallotsConfig.ready``): voting opens, voting closes
soon (to those who have not voted on every matter) and the result. ``SMS_PARAMS`` names each kind's SMS
template parameters (docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind("ballots.opened", _("An owners' ballot I may vote in opens"), channels=("inapp", "email", "sms")),
    Kind(
        "ballots.closing",
        _("An owners' ballot I have not finished voting in closes soon"),
        channels=("inapp", "email"),
        optional=("sms",),
    ),
    Kind("ballots.result", _("The result of an owners' ballot I could vote in"), channels=("inapp", "email")),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "ballots.opened": ("title", "closes"),
    "ballots.closing": ("title", "closes"),
    "ballots.result": ("title",),
}
