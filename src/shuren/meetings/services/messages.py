"""What meetings tell people through the outbox, inside the transaction of the step that causes it:
each invitee of their invitation, the invitees the day before, and the invitees and attendees when the
minutes are published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuren.notifications.services import notify

from ..models import Attendance, Invitation, InvitationStatus, Meeting, MeetingStatus


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


def _link(meeting: Meeting) -> str:
    return reverse("meetings_portal:detail", args=[meeting.pk])


def _params(meeting: Meeting) -> dict[str, str]:
    return {"title": meeting.title, "time": _when(meeting), "place": meeting.location}


def tell_invited(meeting: Meeting, invitations: Iterable[Invitation]) -> int:
    """Tell each new invitee with an account of their invitation (once per invitation)."""
    sent = 0
    for invitation in invitations:
        user = invitation.user
        if user is None:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Invitation: %(title)s") % {"title": meeting.title}
            text = _("You are invited to %(title)s on %(when)s at %(place)s. Please say whether you will come.") % {
                "title": meeting.title,
                "when": _when(meeting),
                "place": meeting.location,
            }
            params = _params(meeting)
        notify(
            kind="meetings.invited",
            event_key=f"meeting:{meeting.pk}:invitation:{invitation.pk}",
            recipients=[user],
            subject=subject,
            text=text,
            link=_link(meeting),
            params=params,
        )
        sent += 1
    return sent


def _invited_users(meeting: Meeting) -> list[Any]:
    rows = meeting.invitations.exclude(status=InvitationStatus.DECLINED).filter(user__isnull=False)
    return [invitation.user for invitation in rows.select_related("user")]


def remind_tomorrow(*, at: dt.datetime | None = None) -> int:
    """The day before: remind the invitees (but those who declined) of each scheduled meeting held
    tomorrow (local time). Run it daily or hourly: each meeting's reminder goes once for its date."""
    now = timezone.localtime(at or timezone.now())
    tomorrow = now.date() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    meetings = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
    )
    reminded = 0
    for meeting in meetings.order_by("starts_at", "pk"):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            people = _invited_users(meeting)
            if not people:
                continue
            notify(
                kind="meetings.reminder",
                event_key=f"meeting:{meeting.pk}:reminder:{tomorrow:%Y%m%d}",
                recipients=people,
                subject=_("Tomorrow: %(title)s") % {"title": meeting.title},
                text=_("Reminder: %(title)s is tomorrow, %(when)s, at %(place)s.")
                % {"title": meeting.title, "when": _when(meeting), "place": meeting.location},
                link=_link(meeting),
                params=_params(meeting),
            )
            reminded += 1
    return reminded


def tell_minutes_published(meeting: Meeting) -> int:
    """Tell the invitees and the attendees with an account that the minutes are published."""
    invited = Invitation.objects.filter(meeting=meeting, user__isnull=False).values_list("user", flat=True)
    attended = Attendance.objects.filter(meeting=meeting, user__isnull=False).values_list("user", flat=True)
    from shuren.accounts.models import User

    people = list(User.objects.filter(Q(pk__in=invited) | Q(pk__in=attended), is_active=True).order_by("pk"))
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind="meetings.minutes",
            event_key=f"meeting:{meeting.pk}:minutes",
            recipients=people,
            subject=_("Minutes published: %(title)s") % {"title": meeting.title},
            text=_("The minutes and resolutions of %(title)s (%(when)s) are published.")
            % {"title": meeting.title, "when": _when(meeting)},
            link=_link(meeting),
            params={"title": meeting.title},
        )
    return len(people)
