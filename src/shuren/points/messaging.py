"""The kind of message points send through the outbox (``shuren.notifications``), registered when
Django starts (``apps.PointsConfig.ready``): the collection code of a redeemed reward, in the inbox
(always) and by SMS (unless the resident switches it off; the code is also on the redemption's page).
``SMS_PARAMS`` names the SMS template's parameters (docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind(
        "points.redemption_code",
        _("The collection code of a reward I redeemed"),
        channels=("inapp", "sms"),
        optional=("email",),
    ),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "points.redemption_code": ("reward", "code", "place"),
}
