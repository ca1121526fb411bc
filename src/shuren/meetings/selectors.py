"""Reads of meetings: what staff see in their areas, what an invitee sees of their own meetings,
what residents see published for the places they live in, and the action items to follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, covering_paths, path_covers, scope_paths, scope_q, users_within, visible
from shuren.orgs.models import Organization
from shuren.people.models import Person, Residence
from shuren.places.models import Building, Estate

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingRule,
    MeetingStatus,
    Minutes,
    Resolution,
)
from .rules import explain

OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of the user's areas (meetings.view)."""
    return visible(Meeting.objects.all(), user, "meetings.view")


def listed_meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("area", "area__parent", "estate", "building", "unit", "convener")


def meeting_for_token(token: str) -> Meeting:
    """The meeting whose QR code carries ``token``; OutOfScope for an unknown token or a cancelled meeting."""
    meeting = Meeting.objects.filter(checkin_token=token).select_related("area").first() if token else None
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        raise OutOfScope()
    return meeting


def openable_meeting(user: Any, pk: int) -> Meeting:
    """The meeting ``pk`` if it lies in the user's areas; OutOfScope (404) otherwise."""
    meeting = listed_meetings(visible_meetings(user)).filter(pk=pk).first()
    if meeting is None:
        raise OutOfScope()
    return meeting


def person_of(user: Any) -> Person | None:
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


def invitations_awaiting_my_reply(user: Any, *, at: dt.datetime | None = None) -> QuerySet[Invitation]:
    """Invitations addressed to the user (by account or by their person) to meetings that have not
    started yet and still take replies, not answered yet; the soonest meeting first."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            invitation_q(user),
            status=InvitationStatus.INVITED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=at or timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )


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


# --- whom and what a meeting may name -------------------------------------------------------------


def community_path(meeting: Meeting) -> str:
    area = meeting.area
    assert area is not None  # a meeting is always held for an area
    return area.parent.path if area.kind == "grid" and area.parent is not None else area.path


def in_reach(user: User, meeting: Meeting, scope: str) -> bool:
    """An invitee may come from the meeting's community, from an area above it, or from anywhere
    the actor manages meetings."""
    return (
        path_covers(community_path(meeting), scope)
        or scope in covering_paths(meeting.scope)
        or any(path_covers(p, scope) for p in scope_paths(user, "meetings.manage"))
    )


def reachable_users(user: User, meeting: Meeting) -> Any:
    """Users who may be named on the meeting (invited, made owner of an action item): those of the
    meeting's community, of an area above it, or of anywhere the actor manages meetings."""
    return users_within(
        user, "meetings.manage", also_under=[community_path(meeting)], also_at=covering_paths(meeting.scope)
    )


def reachable_organizations(user: User, meeting: Meeting) -> Any:
    """Organisations in the same reach (see ``in_reach``)."""
    paths = [community_path(meeting), *scope_paths(user, "meetings.manage")]
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=covering_paths(meeting.scope)))


def reachable_people(user: User, meeting: Meeting) -> Any:
    paths = [community_path(meeting), *scope_paths(user, "meetings.manage")]
    return Person.objects.filter(scope_q(paths, "scope") | Q(scope__in=covering_paths(meeting.scope)))


def owner_label(item: ActionItem) -> str:
    parts = [
        item.owner_user.label if item.owner_user is not None else "",
        item.owner_organization.name if item.owner_organization is not None else "",
        item.owner_name,
    ]
    return " · ".join(p for p in parts if p)


def owner_users(user: User, meeting: Meeting) -> Any:
    """Users who may own an action item of the meeting: its invitees and those who signed in, and
    the users the user may name on it (``reachable_users``)."""
    invited = meeting.invitations.exclude(user=None).values("user_id")
    present = meeting.attendances.exclude(user=None).values("user_id")
    return User.objects.filter(
        Q(pk__in=reachable_users(user, meeting).values("pk")) | Q(pk__in=invited) | Q(pk__in=present),
        is_active=True,
    )


def owner_organizations(user: User, meeting: Meeting) -> Any:
    """Organisations that may own an action item: those the user may invite, and those invited."""
    invited = meeting.invitations.exclude(organization=None).values("organization_id")
    return Organization.objects.filter(
        Q(pk__in=reachable_organizations(user, meeting).values("pk")) | Q(pk__in=invited)
    )


def may_update(user: User, item: ActionItem) -> bool:
    return item.owner_user_id == getattr(user, "pk", None) or can(user, "meetings.manage", item)


def visible_links(convener: Any) -> dict[str, Any]:
    """What an agenda item may link to: what the convener sees (used by the forms)."""
    from shuren.appeals.selectors import visible_appeals
    from shuren.conventions.models import Convention, ConventionVersion
    from shuren.governance.models import GovernanceItem
    from shuren.proposals.models import Proposal

    conventions = visible(Convention.objects.all(), convener, "conventions.view")
    return {
        "appeal": visible_appeals(convener),
        "governance_item": visible(GovernanceItem.objects.all(), convener, "governance.view"),
        "proposal": visible(Proposal.objects.all(), convener, "proposals.view"),
        "convention_version": ConventionVersion.objects.filter(convention__in=conventions).select_related("convention"),
    }


# --- the console's lists --------------------------------------------------------------------------


def filter_meetings(
    queryset: QuerySet[Meeting],
    *,
    kind: str = "",
    status: str = "",
    area: Any = None,
    q: str = "",
    when: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Meeting]:
    """The console's and the API's filter: kind, status, place (an area and what lies under it),
    words of the title, and ``upcoming`` (not yet ended, soonest first) or ``past`` (latest first)."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if area is not None:
        queryset = queryset.filter(scope_q([area.path], "scope"))
    if q:
        queryset = queryset.filter(title__icontains=q)
    now = now or timezone.now()
    if when == "upcoming":
        queryset = queryset.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at")
    return queryset


def meetings_starting_between(user: User, first: dt.date, until: dt.date) -> QuerySet[Meeting]:
    """The user's meetings (meetings.view) starting on ``first`` or later and before ``until``."""
    return listed_meetings(visible_meetings(user)).filter(starts_at__date__gte=first, starts_at__date__lt=until)


def action_items_for(user: User, which: str) -> QuerySet[ActionItem]:
    """The action items page: those of the user's areas and their own, ``overdue``, ``mine``,
    ``open`` or ``done`` (anything else: all)."""
    items = visible_action_items(user) | my_action_items(user)
    if which == "overdue":
        items = overdue_action_items(items)
    elif which == "mine":
        items = items.filter(owner_user=user)
    elif which == "open":
        items = items.filter(status__in=OPEN_ACTION_STATUSES)
    elif which == "done":
        items = items.filter(status=ActionStatus.DONE)
    return items


def meeting_rules() -> QuerySet[MeetingRule]:
    return MeetingRule.objects.all()


def meeting_rule(pk: int) -> MeetingRule:
    rule = MeetingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def rule_of(meeting: Meeting) -> MeetingRule:
    return MeetingRule.objects.get(kind=meeting.kind)


# --- one meeting ----------------------------------------------------------------------------------


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).select_related("recorded_by").first()


def voting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.filter(is_voting=True))


def organizations_for(user: User, meeting: Meeting) -> QuerySet[Organization]:
    """Organisations the console offers to invite or to own an action item: those of the user's
    meetings.manage areas and those of the areas above the meeting."""
    paths = scope_paths(user, "meetings.manage")
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=covering_paths(meeting.scope))).order_by(
        "kind", "name"
    )


def people_for(meeting: Meeting) -> QuerySet[Person]:
    """People of the meeting's community the console offers to invite (the first 500 by name)."""
    community = meeting.area.parent if meeting.area.kind == "grid" else meeting.area
    return Person.objects.filter(community=community).order_by("name_pinyin")[:500]


def people_among(people: QuerySet[Person]) -> QuerySet[Person]:
    """The same people, as a queryset a form may filter (``people_for`` is sliced)."""
    return Person.objects.filter(pk__in=people.values("pk"))


def owner_users_offered(meeting: Meeting) -> QuerySet[User]:
    """Active users invited to or present at the meeting: the console's choice of owners."""
    invited = meeting.invitations.exclude(user=None).values("user_id")
    present = meeting.attendances.exclude(user=None).values("user_id")
    return User.objects.filter(Q(pk__in=invited) | Q(pk__in=present), is_active=True).order_by("full_name", "username")


def invitation_of(meeting: Meeting, pk: Any) -> Invitation:
    """The meeting's invitation ``pk``; 404 when it belongs to another meeting."""
    invitation = Invitation.objects.filter(pk=pk, meeting=meeting).first()
    if invitation is None:
        raise Http404
    return invitation


def agenda_item_of(meeting: Meeting, pk: Any) -> AgendaItem:
    item = meeting.agenda_items.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def resolution_of(meeting: Meeting, pk: Any) -> Resolution:
    resolution = meeting.resolutions.filter(pk=pk).first()
    if resolution is None:
        raise Http404
    return resolution


def reachable_user_named(user: User, meeting: Meeting, username: str) -> User | None:
    """The active user called ``username`` among those the meeting may name (None elsewhere)."""
    return reachable_users(user, meeting).filter(username=username.strip()).first()


# --- the portal -----------------------------------------------------------------------------------


def portal_meeting(user: User, pk: int) -> Meeting:
    """A meeting the user is invited to, or one published to where they live."""
    meeting = (
        Meeting.objects.filter(pk=pk)
        .filter(pk__in=invited_meetings(user).values("pk"))
        .select_related("area", "estate", "building", "unit")
        .first()
    )
    if meeting is None:
        meeting = published_for_resident(user).filter(pk=pk).first()
    if meeting is None:
        raise OutOfScope()
    return meeting


def my_open_action_items(user: User) -> QuerySet[ActionItem]:
    return my_action_items(user).filter(status__in=OPEN_ACTION_STATUSES).order_by("due_on")


def my_action_item(user: User, pk: int) -> ActionItem:
    item = my_action_items(user).filter(pk=pk).first()
    if item is None:
        raise OutOfScope()
    return item


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def estates_named(pks: list[int]) -> list[Estate]:
    """The estates with these ids (fewer when some do not exist)."""
    return list(Estate.objects.filter(pk__in=pks))


def buildings_named(pks: list[int]) -> list[Building]:
    return list(Building.objects.filter(pk__in=pks))


# --- what the pages show of a meeting's records ---------------------------------------------------


def action_item_rows(items: Iterable[ActionItem], *, today: dt.date | None = None) -> list[ActionItem]:
    """The action items with ``owner`` (who must act, as one label) and ``is_overdue`` set."""
    today = today or timezone.localdate()
    rows = list(items)
    for item in rows:
        row = cast(Any, item)
        row.owner = owner_label(item)
        row.is_overdue = item.status in OPEN_ACTION_STATUSES and item.due_on < today
    return rows


def explained_resolutions(resolutions: Iterable[Resolution], *, with_votes: bool = False) -> list[Resolution]:
    """The resolutions with ``explained`` (the arithmetic in words) and, ``with_votes``, ``votes``
    (the named votes with the attendance)."""
    rows = list(resolutions)
    for resolution in rows:
        row = cast(Any, resolution)
        row.explained = explain(resolution.arithmetic)
        if with_votes:
            row.votes = list(resolution.named_votes.select_related("attendance"))
    return rows


def invitations_of(meeting: Meeting) -> list[Invitation]:
    return list(
        meeting.invitations.select_related("user", "person", "organization", "attendance").order_by("invited_as", "pk")
    )


def attendances_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("invitation"))


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.select_related("appeal", "governance_item", "proposal", "convention_version"))


def timeline_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """The meeting's timeline as the shared component shows it (who, when, what)."""
    return [
        {"at": e.at, "actor": e.actor.label if e.actor is not None else _("System"), "text": e.text or e.kind}
        for e in meeting.events.select_related("actor")
    ]
