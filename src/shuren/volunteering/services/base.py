"""What every volunteering write shares: the clock, the community of a place and its policy, who
the actor is as a resident, how far a volunteer reaches (their community), the domain errors and
the audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted
from shuren.core.scoping import covering_paths, path_covers, scope_paths
from shuren.places.models import Area, AreaKind

from ..models import Activity, VolunteeringPolicy

# A volunteer may check in by QR code from this long before the start until the end; check-out by
# QR stays possible a while after the end (people scan on their way out). Minutes are clipped to
# the activity's window in any case.
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=30)
CHECKOUT_GRACE = dt.timedelta(hours=2)
# Two scans this close together are one scan (a shaky hand), not a check-in and a check-out.
DOUBLE_SCAN = dt.timedelta(minutes=2)
MAX_MINUTES = 24 * 60


class NotEligible(NotPermitted):
    """The person may not sign up (not a registered/approved volunteer, another community ...)."""

    code = "not-eligible"


class SignUpClosed(InvalidTransition):
    code = "signup-closed"
    default_detail = gettext_lazy("Sign-up for this activity is closed.")


class CheckInClosed(InvalidTransition):
    code = "checkin-closed"
    default_detail = gettext_lazy("Check-in for this activity is not open now.")


def now() -> dt.datetime:
    return timezone.now()


def community_of_area(area: Area) -> Area:
    return area.parent if area.kind == AreaKind.GRID and area.parent is not None else area


def community_of(activity: Activity) -> Area:
    return community_of_area(activity.area)


def policy_for(community: Area) -> VolunteeringPolicy:
    """The community's policy, or the defaults (50 hours; registrations need approval) unsaved."""
    return VolunteeringPolicy.objects.filter(community=community).first() or VolunteeringPolicy(community=community)


def person_of(user: Any) -> Any:
    """The resident record the user signs in as (cached on the user for the request), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shuren_person"):
        from shuren.people.models import Person

        user._shuren_person = Person.objects.filter(user=user).select_related("community").first()
    return user._shuren_person


def volunteer_reach(user: Any) -> list[str]:
    """Paths of the communities where ``user`` volunteers: a resident granted on a grid takes part
    in the activities of the whole community around it."""
    paths = scope_paths(user, "volunteering.volunteer")
    if not paths:
        return []
    if "" in paths:
        return [""]
    wanted = {p for path in paths for p in covering_paths(path)}
    communities = set(Area.objects.filter(path__in=wanted, kind=AreaKind.COMMUNITY).values_list("path", flat=True))
    wider = [p for p in paths if not any(path_covers(c, p) for c in communities)]
    return sorted(communities | set(wider))


def reaches(user: Any, scope: str) -> bool:
    return any(path_covers(p, scope) for p in volunteer_reach(user))


def reach_q(user: Any, field: str = "scope") -> Q:
    from shuren.core.scoping import scope_q

    reach = volunteer_reach(user)
    return scope_q(reach, field) if reach else Q(pk__in=[])


def closes_at(activity: Activity) -> dt.datetime:
    """When volunteers can no longer sign up themselves: the set time, else the start."""
    return activity.signup_closes_at or activity.starts_at


def checkin_window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    return activity.starts_at - CHECKIN_OPENS_BEFORE, activity.ends_at


def audit(action: str, *, actor: User | None, obj: Any, **detail: Any) -> None:
    record_event(f"volunteering.{action}", actor=actor, obj=obj, detail={k: str(v) for k, v in detail.items()})


def need_person(user: Any) -> Any:
    person = person_of(user)
    if person is None:
        raise NotEligible(_("Your account is not linked to a resident record; ask the community to link it."))
    return person
