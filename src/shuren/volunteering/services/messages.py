"""What volunteering tells volunteers through the outbox, inside the transaction of the step that
causes it: their sign-up (a place, or the waiting list), their move up from the waiting list, and a
reminder the day before the activity (a daily job)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuren.notifications.services import notify

from ..models import Activity, ActivityStatus, SignUp, SignUpStatus


def _when(activity: Activity) -> str:
    return date_format(timezone.localtime(activity.starts_at), "DATETIME_FORMAT")


def _send(kind: str, key: str, signups: list[SignUp], activity: Activity, subject: str, text: str) -> int:
    people = [signup.user for signup in signups if signup.user is not None]
    if not people:
        return 0
    notify(
        kind=f"volunteering.{kind}",
        event_key=key,
        recipients=people,
        subject=subject,
        text=text,
        link=reverse("volunteering_portal:activity", args=[activity.pk]),
        params={"title": activity.title, "time": _when(activity), "place": activity.location}
        if kind != "signed_up"
        else {"title": activity.title, "time": _when(activity)},
    )
    return len(people)


def tell_signed_up(signup: SignUp, activity: Activity) -> int:
    """Confirm a sign-up: the place, or the waiting list (a later move up is its own message)."""
    values = {"title": activity.title, "when": _when(activity), "place": activity.location}
    with translation.override(settings.LANGUAGE_CODE):
        values["when"] = _when(activity)
        if signup.status == SignUpStatus.WAITLISTED:
            subject = _("On the waiting list: %(title)s") % values
            text = _("You are on the waiting list for %(title)s (%(when)s); we will tell you if a place frees up.")
        else:
            subject = _("Signed up: %(title)s") % values
            text = _("You have a place at %(title)s on %(when)s at %(place)s. Thank you!")
        return _send("signed_up", f"signup:{signup.pk}:{signup.status}", [signup], activity, subject, text % values)


def tell_promoted(signups: list[SignUp], activity: Activity) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": activity.title, "when": _when(activity), "place": activity.location}
        return sum(
            _send(
                "promoted",
                f"signup:{signup.pk}:promoted",
                [signup],
                activity,
                _("You have a place: %(title)s") % values,
                _("A place freed up: you are now signed up for %(title)s on %(when)s at %(place)s.") % values,
            )
            for signup in signups
        )


def remind_tomorrow(*, at: dt.datetime | None = None) -> int:
    """The day before: remind the confirmed volunteers of each published activity held tomorrow
    (local time). Run it daily or hourly: each activity's reminder goes once for its date."""
    now = timezone.localtime(at or timezone.now())
    tomorrow = now.date() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    activities = Activity.objects.filter(
        status=ActivityStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
    )
    reminded = 0
    for activity in activities.order_by("starts_at", "pk"):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            confirmed = list(activity.signups.filter(status=SignUpStatus.CONFIRMED).select_related("user"))
            values = {"title": activity.title, "when": _when(activity), "place": activity.location}
            reminded += bool(
                _send(
                    "reminder",
                    f"activity:{activity.pk}:reminder:{tomorrow:%Y%m%d}",
                    confirmed,
                    activity,
                    _("Volunteering tomorrow: %(title)s") % values,
                    _("Reminder: %(title)s is tomorrow, %(when)s, at %(place)s. If you cannot come, please cancel.")
                    % values,
                )
            )
    return reminded
