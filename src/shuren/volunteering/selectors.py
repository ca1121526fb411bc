"""Reads of volunteering: activities for staff and for volunteers, sign-ups with their check-ins and
proposals, volunteers (registrations) with their hours, teams with their figures, and the party
members' progress toward the annual target (双50小时)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from shuren.core.errors import OutOfScope
from shuren.core.scoping import covering_paths, path_covers, scope_paths, scope_q
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.places.models import Area, AreaKind

from .models import (
    ACTIVE_SIGNUP_STATUSES,
    Activity,
    ActivityStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    VolunteerProfile,
)
from .services.base import person_of, policy_for, reach_q
from .services.profiles import current_membership_q
from .services.records import to_hours


def listed_activities(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """The joins and counts a list of activities needs."""
    return (
        queryset.select_related("area", "area__parent", "estate", "building", "unit", "team", "organizer")
        .prefetch_related("skills_wanted")
        .annotate(
            confirmed_count=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED), distinct=True),
            waitlisted_count=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED), distinct=True),
        )
    )


def staff_paths(user: Any) -> list[str]:
    return sorted(set(scope_paths(user, "volunteering.view")) | set(scope_paths(user, "volunteering.manage")))


def visible_activities(user: Any) -> QuerySet[Activity]:
    """Activities of the staff member's areas (volunteering.view or .manage)."""
    paths = staff_paths(user)
    return Activity.objects.filter(scope_q(paths, "scope")) if paths else Activity.objects.none()


def staff_activity(user: Any, pk: int) -> Activity:
    activity = listed_activities(visible_activities(user).filter(pk=pk)).first()
    if activity is None:
        raise OutOfScope()
    return activity


def upcoming_for_volunteer(user: Any) -> QuerySet[Activity]:
    """Published activities of the volunteer's community that have not ended, soonest first."""
    return listed_activities(
        Activity.objects.filter(reach_q(user), status=ActivityStatus.PUBLISHED, ends_at__gt=timezone.now())
    ).order_by("starts_at", "pk")


def openable_for_volunteer(user: Any, pk: int) -> Activity:
    """Activity ``pk`` as a volunteer may open it: one of their community (not a draft), or one they
    signed up for; OutOfScope otherwise."""
    query = reach_q(user) & ~Q(status=ActivityStatus.DRAFT)
    person = person_of(user)
    if person is not None:
        query |= Q(signups__person=person)
    activity = listed_activities(Activity.objects.filter(pk=pk).filter(query).distinct()).first()
    if activity is None:
        raise OutOfScope()
    return activity


def my_signups(user: Any) -> QuerySet[SignUp]:
    person = person_of(user)
    if person is None:
        return SignUp.objects.none()
    return (
        SignUp.objects.filter(person=person)
        .select_related("activity", "activity__area", "activity__estate", "activity__building", "checkin")
        .prefetch_related("records")
        .order_by("-activity__starts_at", "-pk")
    )


def active_signup(user: Any, activity: Activity) -> SignUp | None:
    person = person_of(user)
    if person is None:
        return None
    return activity.signups.filter(person=person, status__in=ACTIVE_SIGNUP_STATUSES).select_related("checkin").first()


def signups_of(activity: Activity) -> QuerySet[SignUp]:
    """Every sign-up of the activity with its check-in and records, in queue order."""
    return (
        activity.signups.select_related("person", "checkin", "recorded_by", "activity")
        .prefetch_related("records")
        .order_by("queued_at", "pk")
    )


def waitlist_position(signup: SignUp) -> int | None:
    if signup.status != SignUpStatus.WAITLISTED:
        return None
    ahead = signup.activity.signups.filter(status=SignUpStatus.WAITLISTED).filter(
        Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk)
    )
    return ahead.count() + 1


# --- volunteers ------------------------------------------------------------------------------------


def profile_scope_q(paths: list[str]) -> Q:
    """A registration belongs to its community; staff of a grid see those of the people living there."""
    return scope_q(paths, "scope") | scope_q(paths, "person__scope")


def visible_profiles(user: Any, action: str = "volunteering.view") -> QuerySet[VolunteerProfile]:
    paths = sorted(set(scope_paths(user, action)) | set(scope_paths(user, "volunteering.manage")))
    if not paths:
        return VolunteerProfile.objects.none()
    return VolunteerProfile.objects.filter(profile_scope_q(paths)).select_related("person", "community", "decided_by")


def staff_profile(user: Any, pk: int) -> VolunteerProfile:
    profile = visible_profiles(user).filter(pk=pk).first()
    if profile is None:
        raise OutOfScope()
    return profile


def _minutes(year: int | None = None) -> Subquery:
    records = ServiceRecord.objects.filter(person=OuterRef("person"))
    if year is not None:
        records = records.filter(served_on__year=year)
    return Subquery(records.order_by().values("person").annotate(total=Sum("minutes")).values("total")[:1])


def with_hours(profiles: QuerySet[VolunteerProfile], year: int) -> QuerySet[VolunteerProfile]:
    """Annotate ``minutes_year`` and ``minutes_total`` (corrections included). Subqueries, so that
    filters joining skills or teams never multiply the sums."""
    return profiles.annotate(minutes_year=_minutes(year), minutes_total=_minutes())


def visible_records(user: Any) -> QuerySet[ServiceRecord]:
    paths = staff_paths(user)
    if not paths:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(scope_q(paths, "scope")).select_related(
        "person", "activity", "confirmed_by", "corrects"
    )


def own_records(user: Any) -> QuerySet[ServiceRecord]:
    person = person_of(user)
    if person is None:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(person=person).select_related("activity", "corrects")


def history_of(person: Any) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(person=person).select_related("activity", "confirmed_by", "corrects")


# --- teams -----------------------------------------------------------------------------------------


@dataclass
class TeamFigures:
    team: Organization
    members: int
    active: int
    hours_year: Decimal
    activities_year: int


def visible_teams(user: Any) -> QuerySet[Organization]:
    """Volunteer teams of the user's areas, and of the community around a grid they work in."""
    paths = staff_paths(user)
    if not paths:
        return Organization.objects.none()
    enclosing = {p for path in paths for p in covering_paths(path)} - set(paths)
    communities = Area.objects.filter(path__in=enclosing, kind=AreaKind.COMMUNITY).values_list("path", flat=True)
    return Organization.objects.filter(
        scope_q(paths, "scope") | Q(scope__in=list(communities)), kind=OrganizationKind.VOLUNTEER_TEAM
    ).select_related("area")


def team_figures(teams: QuerySet[Organization], year: int) -> list[TeamFigures]:
    """Per team: current members, members who served this year, their hours this year, and the
    team's activities this year (not cancelled)."""
    today = timezone.localdate()
    rows = []
    teams = teams.annotate(
        activities_year=Count(
            "activities",
            filter=Q(activities__starts_at__year=year) & ~Q(activities__status=ActivityStatus.CANCELLED),
            distinct=True,
        )
    ).order_by("scope", "name")
    for team in teams:
        members = Membership.objects.filter(current_membership_q(today), organization=team).values("person")
        records = ServiceRecord.objects.filter(person__in=members, served_on__year=year)
        minutes = records.aggregate(total=Sum("minutes"))["total"]
        rows.append(
            TeamFigures(
                team=team,
                members=Membership.objects.filter(current_membership_q(today), organization=team).count(),
                active=records.filter(corrects__isnull=True).values("person").distinct().count(),
                hours_year=to_hours(minutes),
                activities_year=team.activities_year,
            )
        )
    return rows


# --- the party members' progress (双50小时) ----------------------------------------------------------


@dataclass
class Progress:
    person: Any
    party_status: str
    hours: Decimal
    target: int
    expected: Decimal

    @property
    def percent(self) -> int:
        return min(999, int(self.hours * 100 / self.target)) if self.target else 0

    @property
    def is_behind(self) -> bool:
        return self.hours < self.expected


def progress_communities(user: Any) -> QuerySet[Area]:
    """Communities where the user may read the progress: volunteering.view AND the affiliation
    permission, each somewhere over the community or inside it."""
    view = scope_paths(user, "volunteering.view")
    affiliation = scope_paths(user, "people.view_affiliation")
    if not view or not affiliation:
        return Area.objects.none()
    both = [p for p in view if any(path_covers(a, p) or path_covers(p, a) for a in affiliation)]
    if not both:
        return Area.objects.none()
    wanted = {c for p in both for c in covering_paths(p)}
    return (
        Area.objects.filter(kind=AreaKind.COMMUNITY).filter(scope_q(both, "path") | Q(path__in=wanted)).order_by("path")
    )


def elapsed_share(year: int, today: dt.date | None = None) -> Decimal:
    """How much of ``year`` has passed: 1 for past years, 0 for future ones, else the days so far."""
    today = today or timezone.localdate()
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    return Decimal((today - dt.date(year, 1, 1)).days + 1) / Decimal(days)


def party_progress(user: Any, community: Area, year: int, *, today: dt.date | None = None) -> list[Progress]:
    """Each party member of the community whom the user may see (volunteering.view and
    people.view_affiliation both cover them) with their hours in ``year``; "behind" means below the
    target's share for the part of the year gone by (for a past year: below the target)."""
    from shuren.people.models import PartyMembership, Person

    paths_view = scope_paths(user, "volunteering.view")
    paths_affiliation = scope_paths(user, "people.view_affiliation")
    if not paths_view or not paths_affiliation:
        return []
    members = (
        PartyMembership.objects.filter(person__community=community)
        .filter(scope_q(paths_view, "person__scope"))
        .filter(scope_q(paths_affiliation, "person__scope"))
        .select_related("person")
    )
    people = Person.objects.filter(pk__in=members.values("person"))
    minutes = dict(
        ServiceRecord.objects.filter(person__in=people, served_on__year=year)
        .values("person")
        .annotate(total=Sum("minutes"))
        .values_list("person", "total")
    )
    target = policy_for(community).party_member_target_hours
    expected = (Decimal(target) * elapsed_share(year, today)).quantize(Decimal("0.1"))
    rows = [
        Progress(
            person=m.person,
            party_status=m.get_status_display(),
            hours=to_hours(minutes.get(m.person_id)),
            target=target,
            expected=expected,
        )
        for m in members
    ]
    rows.sort(key=lambda r: (r.hours, r.person.name_pinyin))
    return rows


def is_party_member(person: Any) -> bool:
    from shuren.people.models import PartyMembership

    return person is not None and PartyMembership.objects.filter(person=person).exists()
