"""The kinds of message the governance list sends through the outbox (``shuren.notifications``),
registered when Django starts (``apps.GovernanceConfig.ready``): a claim about to lapse for want of
progress, and a claim that lapsed. ``SMS_PARAMS`` names each kind's SMS template parameters
(docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind(
        "governance.lapsing",
        _("A task I claimed will lapse without a progress report"),
        channels=("inapp", "email"),
        optional=("sms",),
    ),
    Kind("governance.lapsed", _("A task I claimed lapsed"), channels=("inapp", "email")),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "governance.lapsing": ("title", "lapses"),
    "governance.lapsed": ("title",),
}
