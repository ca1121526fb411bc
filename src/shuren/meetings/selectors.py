"""Reads of meetings: what staff see in their areas, what an invitee sees of their own meetings,
what residents see published for the places they live in, and the action items to follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from shuren.core.errors import OutOfScope
from shuren.core.scoping import covering_paths, path_covers, visible

from .models import (
    ActionItem,
    ActionStatus,
    Invitation,
    Meeting,
    MeetingRule,
    MeetingStatus,
)

OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the user's areas (meetings.view)."""
    return visible(Meeting.objects.all(), user, "meetings.view")


def listed_meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("area", "area__parent", "estate", "building", "unit", "convener")


def openable_meeting(user: Any, pk: int) -> Meeting:
    """The meeting ``pk`` if it lies in the user's areas; OutOfScope (404) otherwise."""
    meeting = listed_meetings(visible_meetings(user)).filter(pk=pk).first()
    if meeting is None:
        raise OutOfScope()
    return meeting


def person_of(user: Any) -> Any:
    from shuren.people.models import Person

    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def invitation_q(user: Any, prefix: str = "") -> Q:
    """Invitations addressed to ``user``: by account or by their person in the registry."""
    query = Q(**{f"{prefix}user": user})
    person = person_of(user)
    if person is not None:
        query |= Q(**{f"{prefix}person": person})
    return query


def my_invitations(user: Any) -> QuerySet[Invitation]:
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(invitation_q(user))
        .select_related("meeting", "meeting__area", "meeting__estate", "meeting__building", "organization")
        .order_by("-meeting__starts_at")
    )


def invited_meetings(user: Any) -> QuerySet[Meeting]:
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    return Meeting.objects.filter(invitation_q(user, "invitations__")).distinct()


def my_invitation(user: Any, meeting: Meeting) -> Invitation | None:
    return meeting.invitations.filter(invitation_q(user)).first()


def calendar_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings of a user's calendar: those they are invited to, and for meetings.view holders
    every meeting of their areas."""
    # Subqueries, not lists of ids: a district's staff see thousands of meetings.
    return listed_meetings(
        Meeting.objects.filter(
            Q(pk__in=invited_meetings(user).values("pk")) | Q(pk__in=visible_meetings(user).values("pk"))
        )
    ).order_by("starts_at")


# --- places ---------------------------------------------------------------------------------------


def covers_place(meeting: Meeting, obj: Any) -> bool:
    """Whether the meeting's place covers the place of ``obj`` (a PlacedModel, e.g. a proposal):
    a stairwell meeting its unit, a building meeting its building, an estate meeting its estate, an
    area meeting everything in the area."""
    if meeting.unit_id:
        return obj.unit_id == meeting.unit_id
    if meeting.building_id:
        return obj.building_id == meeting.building_id
    if meeting.estate_id:
        return obj.estate_id == meeting.estate_id
    return path_covers(meeting.area.path, obj.scope)


def next_meeting_for(obj: Any, now: dt.datetime | None = None) -> Meeting | None:
    """The next meeting of the place of ``obj``: scheduled, starting in the future, of a kind that
    takes resolutions, and whose place covers ``obj``'s place; the earliest first."""
    now = now or timezone.now()
    deciding = MeetingRule.objects.filter(takes_resolutions=True).values("kind")
    candidates = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, starts_at__gt=now, kind__in=deciding, scope__in=covering_paths(obj.scope)
        )
        .select_related("area")
        .order_by("starts_at", "pk")
    )
    for meeting in candidates:
        if covers_place(meeting, obj):
            return meeting
    return None


def _dwellings_of(user: Any) -> list[Any]:
    from shuren.people.models import Residence

    person = person_of(user)
    if person is None:
        return []
    return [
        r.dwelling
        for r in Residence.objects.filter(person=person, to_on__isnull=True).select_related(
            "dwelling__unit__building__estate"
        )
    ]


def published_for_resident(user: Any) -> QuerySet[Meeting]:
    """Published meetings concerning where the user currently lives: the meeting's own place covers
    their dwelling, or the minutes were also published to their estate or building."""
    query = Q(pk__in=[])
    for dwelling in _dwellings_of(user):
        unit = dwelling.unit
        building = unit.building
        query |= (
            Q(unit=unit)
            | Q(unit__isnull=True, building=building)
            | Q(unit__isnull=True, building__isnull=True, estate=building.estate)
            | Q(
                unit__isnull=True,
                building__isnull=True,
                estate__isnull=True,
                area__path__in=covering_paths(dwelling.scope),
            )
            | Q(also_publish_to_estates=building.estate)
            | Q(also_publish_to_buildings=building)
        )
    ids = Meeting.objects.filter(query, status=MeetingStatus.PUBLISHED).values("pk")
    return listed_meetings(Meeting.objects.filter(pk__in=ids)).order_by("-starts_at")


def published_meeting_for(user: Any, pk: int) -> Meeting:
    meeting = published_for_resident(user).filter(pk=pk).first()
    if meeting is None:
        raise OutOfScope()
    return meeting


# --- action items ---------------------------------------------------------------------------------


def visible_action_items(user: Any) -> QuerySet[ActionItem]:
    return visible(ActionItem.objects.all(), user, "meetings.view").select_related(
        "meeting", "owner_user", "owner_organization"
    )


def my_action_items(user: Any) -> QuerySet[ActionItem]:
    if not getattr(user, "is_authenticated", False):
        return ActionItem.objects.none()
    return ActionItem.objects.filter(owner_user=user).select_related("meeting", "owner_organization")


def overdue_action_items(queryset: QuerySet[ActionItem], today: dt.date | None = None) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    return queryset.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)


def openable_action_item(user: Any, pk: int) -> ActionItem:
    """An action item its owner or the meeting's staff may open."""
    item = (
        ActionItem.objects.filter(pk=pk)
        .filter(Q(pk__in=visible_action_items(user).values("pk")) | Q(owner_user_id=getattr(user, "pk", None)))
        .select_related("meeting", "owner_user", "owner_organization")
        .first()
    )
    if item is None:
        raise OutOfScope()
    return item
