"""The kinds of message volunteering sends through the outbox (``shuren.notifications``), registered
when Django starts (``apps.VolunteeringConfig.ready``): the sign-up (a place, or a place on the
waiting list), the move up from the waiting list, and the day-before reminder. ``SMS_PARAMS`` names
each kind's SMS template parameters (docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind("volunteering.signed_up", _("I signed up for a volunteer activity"), channels=("inapp", "email")),
    Kind(
        "volunteering.promoted",
        _("I moved up from the waiting list of a volunteer activity"),
        channels=("inapp", "email", "sms"),
    ),
    Kind(
        "volunteering.reminder",
        _("A volunteer activity I signed up for is tomorrow"),
        channels=("inapp", "email"),
        optional=("sms",),
    ),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "volunteering.signed_up": ("title", "time"),
    "volunteering.promoted": ("title", "time", "place"),
    "volunteering.reminder": ("title", "time", "place"),
}
