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

from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can, covering_paths, has_action, path_covers, scope_paths, scope_q
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind
from shuren.places.selectors import communities_where

from .models import (
    ACTIVE_SIGNUP_STATUSES,
    Activity,
    ActivityStatus,
    ProfileStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Skill,
    VolunteerProfile,
)
from .services.base import community_of, person_of, policy_for, reach_q
from .services.profiles import current_membership_q, teams_of_community
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


def places_left(activity: Activity) -> int:
    """The places not yet confirmed, from the count ``listed_activities`` annotates."""
    return max(0, activity.capacity - int(vars(activity)["confirmed_count"]))


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


def filter_activities(
    activities: QuerySet[Activity],
    *,
    q: str | None = None,
    status: str | None = None,
    team: int | None = None,
    when: str | None = None,
) -> QuerySet[Activity]:
    """The filter of the console's list and of the API's: a reference, title or place containing
    ``q``; the status; the team; ``upcoming`` (not ended) or ``past`` (ended)."""
    if q and q.strip():
        q = q.strip()
        activities = activities.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(location__icontains=q))
    if status:
        activities = activities.filter(status=status)
    if team:
        activities = activities.filter(team_id=team)
    if when == "upcoming":
        activities = activities.filter(ends_at__gte=timezone.now())
    elif when == "past":
        activities = activities.filter(ends_at__lt=timezone.now())
    return activities


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


def signup_of(activity: Activity, signup_pk: int) -> SignUp:
    """Sign-up ``signup_pk`` of ``activity``; OutOfScope when it belongs to another."""
    signup = activity.signups.select_related("activity", "person").filter(pk=signup_pk).first()
    if signup is None:
        raise OutOfScope()
    return signup


def staff_signup(user: Any, pk: int) -> SignUp:
    """A sign-up of an activity of the staff member's areas that they may manage."""
    signup = (
        SignUp.objects.filter(pk=pk, activity__in=visible_activities(user)).select_related("activity", "person").first()
    )
    if signup is None:
        raise OutOfScope()
    if not can(user, "volunteering.manage", signup.activity):
        raise NotPermitted()
    return signup


def active_signups_by_activity(user: Any, activities: list[Activity]) -> dict[int, SignUp]:
    """The user's active sign-ups among ``activities``, by activity id."""
    person = person_of(user)
    if person is None or not activities:
        return {}
    signups = SignUp.objects.filter(
        person=person, activity__in=[a.pk for a in activities], status__in=ACTIVE_SIGNUP_STATUSES
    )
    return {s.activity_id: s for s in signups}


def last_signup(activity: Activity, person: Any) -> SignUp | None:
    return activity.signups.filter(person=person).order_by("-pk").first()


def records_of(activity: Activity, person: Any) -> list[ServiceRecord]:
    return list(activity.service_records.filter(person=person))


def signups_of_person(person: Any) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(person=person).select_related("activity", "checkin").order_by("-activity__starts_at")[:50]
    )


def door_candidates(activity: Activity) -> QuerySet[Person]:
    """Residents of the activity's community who may be signed up at the door: registered
    volunteers (approved ones only when the activity asks for them), not already signed up."""
    community = community_of(activity)
    taken = activity.signups.filter(status__in=ACTIVE_SIGNUP_STATUSES).values("person")
    people = Person.objects.filter(community=community, volunteer_profile__isnull=False).exclude(pk__in=taken)
    people = people.exclude(volunteer_profile__status="suspended")
    if activity.approved_volunteers_only:
        people = people.filter(volunteer_profile__status="approved")
    return people.order_by("name_pinyin")


def community_resident(activity: Activity, pk: int) -> Person | None:
    """Person ``pk`` if they live in the activity's community."""
    return Person.objects.filter(pk=pk, community=community_of(activity)).first()


def skills() -> QuerySet[Skill]:
    return Skill.objects.all()


def skills_by_code(codes: list[str]) -> list[Skill] | None:
    """The skills of ``codes``; None when one of them is unknown."""
    found = list(Skill.objects.filter(code__in=codes))
    return found if len(found) == len(set(codes)) else None


def place(model: Any, pk: int) -> Any:
    """The place (area, estate, building or unit) ``pk`` of ``model``, or None."""
    return model.objects.filter(pk=pk).first()


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


def filter_profiles(
    profiles: QuerySet[VolunteerProfile],
    *,
    q: str | None = None,
    status: str | None = None,
    skill: int | None = None,
    team: int | None = None,
) -> QuerySet[VolunteerProfile]:
    """The filter of the console's register and of the API's: a name, pinyin (spaces ignored) or
    initials matching ``q``; the status; a skill; a current team."""
    if q and q.strip():
        q = q.strip()
        profiles = profiles.filter(
            Q(person__name__icontains=q)
            | Q(person__name_pinyin__icontains=q.lower().replace(" ", ""))
            | Q(person__name_initials__iexact=q)
        )
    if status:
        profiles = profiles.filter(status=status)
    if skill:
        profiles = profiles.filter(skills=skill)
    if team:
        profiles = profiles.filter(person__memberships__organization_id=team, person__memberships__to_on__isnull=True)
    return profiles.distinct()


def awaiting_profiles(user: Any) -> QuerySet[VolunteerProfile]:
    """Registrations awaiting approval."""
    return visible_profiles(user).filter(status=ProfileStatus.APPLIED)


def profile_of(person: Any) -> VolunteerProfile | None:
    """The person's registration, if any."""
    if person is None:
        return None
    return VolunteerProfile.objects.filter(person=person).select_related("community").first()


def profile_with_skills(pk: int) -> VolunteerProfile:
    return VolunteerProfile.objects.select_related("person").prefetch_related("skills").get(pk=pk)


def teams_by_person(person_ids: list[int]) -> dict[int, list[str]]:
    """The names of the current volunteer teams of each person."""
    teams: dict[int, list[str]] = {}
    memberships = Membership.objects.filter(
        current_membership_q(),
        person_id__in=person_ids,
        organization__kind=OrganizationKind.VOLUNTEER_TEAM,
    ).select_related("organization")
    for m in memberships:
        teams.setdefault(m.person_id, []).append(m.organization.name)
    return teams


def community_teams(community: Area, pks: list[int]) -> list[Organization] | None:
    """The volunteer teams ``pks`` of the community; None when one of them is not."""
    teams = list(teams_of_community(community).filter(pk__in=pks))
    return teams if len(teams) == len(set(pks)) else None


def _minutes(year: int | None = None) -> Subquery:
    records = ServiceRecord.objects.filter(person=OuterRef("person"))
    if year is not None:
        records = records.filter(served_on__year=year)
    return Subquery(records.order_by().values("person").annotate(total=Sum("minutes")).values("total")[:1])


def with_hours(profiles: QuerySet[VolunteerProfile], year: int) -> QuerySet[VolunteerProfile]:
    """Annotate ``minutes_year`` and ``minutes_total`` (corrections included). Subqueries, so that
    filters joining skills or teams never multiply the sums."""
    return profiles.annotate(minutes_year=_minutes(year), minutes_total=_minutes())


def hours_of(profile: VolunteerProfile) -> tuple[Decimal, Decimal]:
    """Hours this year and overall of a profile annotated by ``with_hours``."""
    return to_hours(vars(profile)["minutes_year"]), to_hours(vars(profile)["minutes_total"])


def visible_records(user: Any) -> QuerySet[ServiceRecord]:
    paths = staff_paths(user)
    if not paths:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(scope_q(paths, "scope")).select_related(
        "person", "activity", "confirmed_by", "corrects"
    )


# The columns of a service record's list row (api.serializers.record_items), read as values: the
# person's name without loading (and decrypting) their record.
RECORD_COLUMNS = (
    "id",
    "person_id",
    "person__name",
    "activity_id",
    "signup_id",
    "corrects_id",
    "served_on",
    "minutes",
    "proposed_minutes",
    "description",
    "reason",
    "confirmed_at",
)


def record_rows_of(ids: list[int]) -> list[dict[str, Any]]:
    """The list rows of the service records ``ids``, in that order. A page is chosen first on the
    records table alone; the person's name is joined for the page's rows only."""
    rows = {row["id"]: row for row in ServiceRecord.objects.filter(pk__in=ids).values(*RECORD_COLUMNS)}
    return [rows[pk] for pk in ids if pk in rows]


def own_records(user: Any) -> QuerySet[ServiceRecord]:
    person = person_of(user)
    if person is None:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(person=person).select_related("activity", "corrects")


def staff_record(user: Any, pk: int) -> ServiceRecord:
    record = visible_records(user).filter(pk=pk).first()
    if record is None:
        raise OutOfScope()
    return record


def manageable_record(user: Any, pk: int) -> ServiceRecord:
    """A record the user may correct (volunteering.manage over it); NotPermitted when they only see it."""
    paths = scope_paths(user, "volunteering.manage")
    record = (
        ServiceRecord.objects.filter(scope_q(paths, "scope"), pk=pk)
        .select_related("person", "activity", "corrects", "confirmed_by")
        .first()
    )
    if record is None:
        if visible_records(user).filter(pk=pk).exists():
            raise NotPermitted()
        raise OutOfScope()
    return record


def record_with_person(pk: int) -> ServiceRecord:
    return ServiceRecord.objects.select_related("person").get(pk=pk)


def corrections_of(record: ServiceRecord) -> QuerySet[ServiceRecord]:
    return record.corrections.select_related("confirmed_by").order_by("pk")


def filter_records(
    records: QuerySet[ServiceRecord], *, year: int | None = None, person: int | None = None, activity: int | None = None
) -> QuerySet[ServiceRecord]:
    if year:
        records = records.filter(served_on__year=year)
    if person:
        records = records.filter(person_id=person)
    if activity:
        records = records.filter(activity_id=activity)
    return records


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


def visible_team(user: Any, pk: int) -> Organization | None:
    return visible_teams(user).filter(pk=pk).first()


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


def progress_community(user: Any, pk: int | None) -> Area | None:
    """Community ``pk`` (or the first) among those where the user may read the progress."""
    communities = progress_communities(user)
    return communities.filter(pk=pk).first() if pk else communities.first()


def policy_communities(user: Any) -> QuerySet[Area]:
    """Communities whose volunteering policy the user may set."""
    return communities_where(user, "volunteering.configure")


def policy_community(user: Any, pk: int) -> Area:
    community = policy_communities(user).filter(pk=pk).first()
    if community is None:
        raise OutOfScope()
    return community


def elapsed_share(year: int, today: dt.date | None = None) -> Decimal:
    """How much of ``year`` has passed: 1 for past years, 0 for future ones, else the days so far."""
    today = today or timezone.localdate()
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    return Decimal((today - dt.date(year, 1, 1)).days + 1) / Decimal(days)


def party_progress(
    user: Any, community: Area, year: int, *, today: dt.date | None = None, behind: bool = False
) -> list[Progress]:
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
    if behind:
        rows = [r for r in rows if r.is_behind]
    return rows


def is_party_member(person: Any) -> bool:
    from shuren.people.models import PartyMembership

    return person is not None and PartyMembership.objects.filter(person=person).exists()


def my_upcoming_signups(user: Any, *, at: dt.datetime | None = None) -> QuerySet[SignUp]:
    """The user's places (confirmed or on the waiting list) on published activities that have not
    ended yet, soonest first — what the resident's home page reminds them of."""
    person = person_of(user)
    if person is None:
        return SignUp.objects.none()
    at = at or timezone.now()
    return (
        SignUp.objects.filter(
            person=person,
            status__in=ACTIVE_SIGNUP_STATUSES,
            activity__status=ActivityStatus.PUBLISHED,
            activity__ends_at__gt=at,
        )
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
    )


def open_for_signup_count(user: Any, *, at: dt.datetime | None = None) -> int:
    """How many published activities of the volunteer's community still take sign-ups (the sign-up
    has not closed, or the activity has not started when no closing time is set)."""
    if not has_action(user, "volunteering.volunteer"):
        return 0
    at = at or timezone.now()
    still_open = Q(signup_closes_at__gt=at) | Q(signup_closes_at__isnull=True, starts_at__gt=at)
    return Activity.objects.filter(reach_q(user), still_open, status=ActivityStatus.PUBLISHED, ends_at__gt=at).count()
