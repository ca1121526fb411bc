"""The kinds of message meetings send through the outbox (``shuren.notifications``), registered when
Django starts (``apps.MeetingsConfig.ready``): the invitation, the day-before reminder and the
published minutes. ``SMS_PARAMS`` names each kind's SMS template parameters (docs/notifications.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.notifications.kinds import Kind

KINDS = (
    Kind("meetings.invited", _("I am invited to a meeting"), channels=("inapp", "email"), optional=("sms",)),
    Kind(
        "meetings.reminder", _("A meeting I am invited to is tomorrow"), channels=("inapp", "email"), optional=("sms",)
    ),
    Kind("meetings.minutes", _("The minutes of a meeting I was invited to are published"), channels=("inapp", "email")),
)

SMS_PARAMS: dict[str, tuple[str, ...]] = {
    "meetings.invited": ("title", "time", "place"),
    "meetings.reminder": ("title", "time", "place"),
    "meetings.minutes": ("title",),
}
